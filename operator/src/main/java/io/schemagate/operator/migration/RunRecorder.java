package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import java.time.Duration;
import java.time.Instant;
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

  /** A Job was created (or adopted) for a run. */
  void started(
      SchemaMigration sm,
      SchemaMigrationStatus status,
      String jobName,
      RunPlan.Start start,
      boolean created,
      long gen,
      Instant now) {
    RunRecord run = new RunRecord();
    run.setJobName(jobName);
    run.setAttempt(start.attempt());
    run.setImage(sm.getSpec().getBundle().getImage());
    run.setCommand(start.command());
    run.setStartTime(now.toString());
    run.setResult(RunPlanner.RUNNING);
    run.setReason(Reason.Migrating.name());
    StatusUpdates.runStarted(status, run, gen, now);
    if (created) {
      events.normal(
          sm,
          "MigrationStarted",
          "Job " + jobName + " runs " + start.command() + " (attempt " + start.attempt() + ")");
      LOG.info(
          "{}: created Job {} ({})", SchemaMigrationReconciler.ref(sm), jobName, start.command());
    }
  }

  /** A run ended: record it, say so in an Event, and schedule the retry of a transient failure. */
  void ended(
      SchemaMigration sm, SchemaMigrationStatus status, RunRecord last, RunEnd end, Instant now) {
    RunRecord done = copy(last);
    done.setCompletionTime(now.toString());
    Instant started = RunPlanner.parse(last.getStartTime());
    done.setDurationSeconds(
        end.durationSeconds() != null
            ? end.durationSeconds()
            : started == null ? null : Duration.between(started, now).toMillis() / 1000.0);
    done.setAppliedCount(end.appliedCount());
    done.setResult(end.succeeded() ? RunPlanner.SUCCEEDED : RunPlanner.FAILED);
    done.setReason(end.succeeded() ? Reason.AtHead.name() : end.reason().name());
    done.setMessage(end.message());
    StatusUpdates.runEnded(
        status,
        done,
        end.currentRevision(),
        end.headRevision(),
        end.targetRevision(),
        end.pending(),
        end.stateKnown());
    if (end.succeeded()) {
      if (RunPlanner.MIGRATE.equals(done.getCommand())) {
        events.normal(
            sm,
            "MigrationSucceeded",
            "database at revision "
                + Objects.requireNonNullElse(end.currentRevision(), "(none)")
                + ", "
                + Objects.requireNonNullElse(end.appliedCount(), 0)
                + " applied in "
                + String.format(
                    java.util.Locale.ROOT,
                    "%.1f",
                    Objects.requireNonNullElse(done.getDurationSeconds(), 0.0))
                + " s"
                + (end.message().isEmpty() ? "" : "; " + end.message()));
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

  /**
   * Nothing runs until the spec or the retry annotation changes; an Event says why, once, unless
   * the run's own MigrationFailed event already did, and so does one log line.
   */
  void stalled(
      SchemaMigration sm,
      SchemaMigrationStatus status,
      Reason reason,
      String message,
      long gen,
      Instant now) {
    var previous = Conditions.find(status.getConditions(), Conditions.STALLED);
    boolean news =
        previous == null
            || !"True".equals(previous.getStatus())
            || !reason.name().equals(previous.getReason())
            || !Objects.equals(previous.getObservedGeneration(), gen);
    StatusUpdates.stalled(status, reason, message, gen, now);
    // A failed run already had its MigrationFailed event; the stall itself is news only once.
    boolean runFailure =
        status.getLastRun() != null && reason.name().equals(status.getLastRun().getReason());
    if (news && !runFailure) {
      events.warning(sm, reason.name(), message);
    }
    if (news) {
      LOG.warn("{}: stalled: {}: {}", SchemaMigrationReconciler.ref(sm), reason, message);
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
      long gen,
      Instant now) {
    var previous = Conditions.find(status.getConditions(), Conditions.READY);
    boolean news =
        previous == null
            || !failure.reason().name().equals(previous.getReason())
            || !failure.message().equals(previous.getMessage());
    StatusUpdates.reconcileRetried(status, failure.reason(), failure.message(), gen, now);
    if (news) {
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
    return c;
  }
}
