package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records runs as they start, end and stall: the run record in status and the Event that tells a
 * user about it. What to run is {@link RunPlanner}'s business; this only writes down what happened.
 */
final class RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

  private final EventRecorder events;

  RunRecorder(EventRecorder events) {
    this.events = events;
  }

  /** A run's Job, as the reconciler got it: created now, or adopted from an earlier attempt. */
  record StartedRun(String jobName, RunPlan.Start plan, boolean created) {}

  /** A Job was created (or adopted) for a run. */
  void started(SchemaMigration sm, SchemaMigrationStatus status, StartedRun run, Stamp stamp) {
    RunRecord record = new RunRecord();
    record.setJobName(run.jobName());
    record.setAttempt(run.plan().attempt());
    record.setImage(sm.getSpec().getBundle().getImage());
    record.setCommand(run.plan().command());
    record.setStartTime(stamp.now().toString());
    record.setResult(RunResult.Running);
    record.setReason(Reason.Migrating.name());
    StatusUpdates.runStarted(status, record, stamp);
    if (run.created()) {
      RunCommand command = run.plan().command();
      events.normal(
          sm,
          "MigrationStarted",
          "Job " + run.jobName() + " runs " + command + " (attempt " + run.plan().attempt() + ")");
    }
  }

  /** A run ended: record it, say so in an Event, and schedule the retry of a transient failure. */
  void ended(SchemaMigration sm, SchemaMigrationStatus status, RunEnd end, Instant now) {
    RunRecord last = status.getLastRun();
    RunRecord done = copy(last);
    done.setCompletionTime(now.toString());
    Instant started = RunPlanner.parse(last.getStartTime());
    done.setDurationSeconds(
        end.durationSeconds() != null
            ? end.durationSeconds()
            : started == null ? null : Duration.between(started, now).toMillis() / 1000.0);
    done.setAppliedCount(end.appliedCount());
    done.setResult(end.succeeded() ? RunResult.Succeeded : RunResult.Failed);
    done.setReason(end.succeeded() ? Reason.AtHead.name() : end.reason().name());
    done.setMessage(end.message());
    StatusUpdates.runEnded(status, done, end);
    if (end.succeeded()) {
      if (done.getCommand() == RunCommand.MIGRATE) {
        events.normal(sm, "MigrationSucceeded", succeededMessage(done, end));
      }
      return;
    }
    events.warning(sm, "MigrationFailed", end.reason() + ": " + end.message());
    if (end.reason().isTransient()) {
      RetryBackoff backoff = RetryBackoff.of(sm.getSpec().getRetry());
      int attempt = Objects.requireNonNullElse(done.getAttempt(), 1);
      if (backoff.mayRetry(attempt)) {
        status.setNextRetryTime(now.plus(backoff.delayAfter(attempt)).toString());
      }
    }
  }

  private static String succeededMessage(RunRecord done, RunEnd end) {
    return "database at revision "
        + Objects.requireNonNullElse(end.currentRevision(), "(none)")
        + ", "
        + Objects.requireNonNullElse(end.appliedCount(), 0)
        + " applied in "
        + String.format(
            Locale.ROOT, "%.1f", Objects.requireNonNullElse(done.getDurationSeconds(), 0.0))
        + " s"
        + (end.message().isEmpty() ? "" : "; " + end.message());
  }

  /**
   * Nothing runs until the spec or the retry annotation changes; an Event says why, once, unless
   * the run's own MigrationFailed event already did (the log line is the status change's).
   */
  void stalled(SchemaMigration sm, SchemaMigrationStatus status, RunPlan.Stalled why, Stamp stamp) {
    var previous = Conditions.find(status.getConditions(), Conditions.STALLED);
    Reason reason = why.reason();
    boolean news =
        previous == null
            || !"True".equals(previous.getStatus())
            || !reason.name().equals(previous.getReason())
            || !Objects.equals(previous.getObservedGeneration(), stamp.generation());
    StatusUpdates.stalled(status, why, stamp);
    // A failed run already had its MigrationFailed event; the stall itself is news only once.
    boolean runFailure =
        status.getLastRun() != null && reason.name().equals(status.getLastRun().getReason());
    if (news && !runFailure) {
      events.warning(sm, reason.name(), why.message());
    }
  }

  /**
   * A reconciliation failed and is retried: the resource stays Reconciling, and an Event and a log
   * line say so when the failure is new (the stack trace too when it is the operator's fault).
   */
  void reconcileFailed(
      SchemaMigration sm,
      SchemaMigrationStatus status,
      ReconcileFailure failure,
      Exception e,
      Stamp stamp) {
    var previous = Conditions.find(status.getConditions(), Conditions.READY);
    boolean news =
        previous == null
            || !failure.reason().name().equals(previous.getReason())
            || !failure.message().equals(previous.getMessage());
    StatusUpdates.reconcileRetried(status, failure, stamp);
    if (!news) {
      return;
    }
    events.warning(sm, failure.reason().name(), failure.message());
    if (failure.reason() == Reason.InternalError) {
      LOG.error("{}: reconciliation failed; retrying", SchemaMigrationReconciler.ref(sm), e);
    } else {
      LOG.warn(
          "{}: {}: {}; retrying",
          SchemaMigrationReconciler.ref(sm),
          failure.reason(),
          failure.message());
    }
  }

  static RunRecord copy(RunRecord r) {
    RunRecord c = new RunRecord();
    c.setJobName(r.getJobName());
    c.setAttempt(r.getAttempt());
    c.setImage(r.getImage());
    c.setCommand(r.getCommand());
    c.setStartTime(r.getStartTime());
    c.setCompletionTime(r.getCompletionTime());
    c.setDurationSeconds(r.getDurationSeconds());
    c.setAppliedCount(r.getAppliedCount());
    c.setResult(r.getResult());
    c.setReason(r.getReason());
    c.setMessage(r.getMessage());
    r.getUnknownFields().forEach(c::setUnknownField);
    return c;
  }
}
