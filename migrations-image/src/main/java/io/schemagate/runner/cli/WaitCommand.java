package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.DurationText;
import io.schemagate.runner.engine.RevisionWaiter;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code wait}: the init-container gate for what cannot be paused (StatefulSets, Jobs, CronJobs,
 * any pod). Connects with the app's own credentials, read-only, and returns once the history table
 * shows the target revision or a later one applied; exits with {@link Reason#WaitTimedOut} when it
 * does not within the timeout. Needs no migration files and no Kubernetes API.
 */
final class WaitCommand extends RunnerCommand {
  private String target;
  private String timeout;
  private String interval;

  WaitCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "wait";
  }

  @Override
  String summary() {
    return "Read-only: return once the history shows REV or later applied (an init container's"
        + " gate).";
  }

  @Override
  List<OptionSpec> ownOptions() {
    return List.of(
        OptionSpec.value("--target", "REV", "the revision to wait for (e.g. 5 or 1.10)")
            .asRequired(),
        OptionSpec.value("--timeout", "DUR", "how long to wait before exit code 10")
            .withDefault("10m"),
        OptionSpec.value("--interval", "DUR", "how often to look at the history table")
            .withDefault("2s"));
  }

  @Override
  void bind(ParsedArguments args) throws UsageException {
    super.bind(args);
    target = args.value("--target");
    timeout = args.value("--timeout");
    interval = args.value("--interval");
  }

  @Override
  void run(RunResult result) throws Exception {
    MigrationVersion wanted = Revisions.parse("--target", target);
    if (wanted == null) {
      throw new RunnerException(Reason.ConfigurationInvalid, "--target: a revision is required");
    }
    Duration limit = options.duration("--timeout", timeout);
    Duration every = options.duration("--interval", interval);
    if (every.isZero()) {
      throw new RunnerException(Reason.ConfigurationInvalid, "--interval must be more than 0");
    }
    result.targetRevision(wanted.getVersion());
    RevisionWaiter.Outcome outcome =
        new RevisionWaiter(
                options.connector(ctx), options.settings(), ctx.progress(), ctx.canceller(), every)
            .await(wanted, limit);
    result.currentRevision(outcome.current() == null ? null : outcome.current().getVersion());
    result.stateKnown(outcome.historyRead());
    result.put(
        "outcome", outcome.reached() ? "Reached" : outcome.cancelled() ? "Cancelled" : "TimedOut");
    result.put("waitedMs", outcome.waited().toMillis());
    result.put("polls", outcome.polls());
    result.put("lastSeen", outcome.lastSeen());
    if (outcome.reached()) {
      return;
    }
    String message =
        (outcome.cancelled() ? "stopped by a termination request" : "timed out")
            + " waiting for revision "
            + wanted.getVersion()
            + " after "
            + DurationText.formatElapsed(outcome.waited())
            + " (timeout "
            + DurationText.format(limit)
            + "); last seen: "
            + outcome.lastSeen();
    if (options.json()) {
      // Text output prints the error line itself; with JSON on stdout, a person reading the
      // init container's log still gets the one line that says why the pod is not starting.
      ctx.err().println("error: " + Reason.WaitTimedOut + ": " + message);
    }
    throw new RunnerException(Reason.WaitTimedOut, message);
  }

  @Override
  void printText(RunResult result) {
    if (result.succeeded()) {
      ctx.out()
          .println(
              "reached: database at "
                  + result.currentRevision()
                  + " (target "
                  + result.targetRevision()
                  + ") after "
                  + DurationText.formatElapsed(
                      Duration.ofMillis(((Number) result.extra().get("waitedMs")).longValue())));
    }
  }
}
