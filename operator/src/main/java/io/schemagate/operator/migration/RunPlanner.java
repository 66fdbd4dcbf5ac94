package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Decides from status alone, never from which Jobs happen to exist, what a SchemaMigration runs
 * next. A <em>series</em> is the runs of one generation and one value of the retry annotation; a
 * new series starts over at attempt 1. Only failed runs consume attempts: an {@code info} or {@code
 * baseline} run that succeeds is followed by {@code migrate} under the same attempt number.
 */
public final class RunPlanner {
  private RunPlanner() {}

  /**
   * The next step when no run is in progress.
   *
   * @param lastRunInSeries whether {@code status.lastRun} belongs to the current series (its Job
   *     name is the one this generation and retry value give for its attempt and command)
   */
  public static RunPlan plan(SchemaMigration sm, boolean lastRunInSeries, Instant now) {
    SchemaMigrationStatus status = sm.getStatus();
    RunRecord last = status == null ? null : status.getLastRun();
    if (last == null || !lastRunInSeries) {
      return new RunPlan.Start(firstCommand(sm), 1);
    }
    int attempt = last.getAttempt() == null ? 1 : last.getAttempt();
    if (last.getResult() == RunResult.Succeeded) {
      return last.getCommand() == RunCommand.MIGRATE
          ? new RunPlan.AtTarget()
          : new RunPlan.Start(RunCommand.MIGRATE, attempt);
    }
    Reason reason = Reason.parse(last.getReason());
    if (reason == null || !reason.isTransient()) {
      return new RunPlan.Stalled(
          reason == null ? Reason.InternalError : reason, nullToEmpty(last.getMessage()));
    }
    RetryBackoff backoff = RetryBackoff.of(sm.getSpec().getRetry());
    if (!backoff.mayRetry(attempt)) {
      return new RunPlan.Stalled(
          Reason.RetriesExhausted,
          "gave up after "
              + attempt
              + (attempt == 1 ? " attempt" : " attempts")
              + "; last: "
              + reason
              + (last.getMessage() == null || last.getMessage().isEmpty()
                  ? ""
                  : ": " + last.getMessage()));
    }
    Instant due = retryTime(status, last, backoff, attempt);
    if (due.isAfter(now)) {
      return new RunPlan.WaitUntil(due);
    }
    // Without a result the database's state is unknown: learn it before migrating again.
    RunCommand command = reason == Reason.ResultMissing ? RunCommand.INFO : last.getCommand();
    return new RunPlan.Start(command, attempt + 1);
  }

  private static RunCommand firstCommand(SchemaMigration sm) {
    String baseline = sm.getSpec().getBaselineRevision();
    SchemaMigrationStatus status = sm.getStatus();
    boolean neverRan = status == null || status.getLastRun() == null;
    boolean emptyRevision = status == null || isEmpty(status.getCurrentRevision());
    return !isEmpty(baseline) && neverRan && emptyRevision
        ? RunCommand.BASELINE
        : RunCommand.MIGRATE;
  }

  private static Instant retryTime(
      SchemaMigrationStatus status, RunRecord last, RetryBackoff backoff, int attempt) {
    Instant recorded = parse(status.getNextRetryTime());
    if (recorded != null) {
      return recorded;
    }
    Instant ended = parse(last.getCompletionTime());
    return (ended == null ? Instant.EPOCH : ended).plus(backoff.delayAfter(attempt));
  }

  static Instant parse(String time) {
    if (time == null || time.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
