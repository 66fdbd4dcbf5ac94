package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.kube.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The transitions of a SchemaMigration's status: run started, run ended, waiting for a retry,
 * stalled, at target, suspended. Each sets phase and the three kstatus conditions together, so they
 * never disagree. Pure: the reconciler decides, these write.
 */
final class StatusUpdates {
  /** How many runs {@code status.history} keeps. */
  public static final int HISTORY_SIZE = 10;

  /** How many pending versions status lists; the runner's result may carry more. */
  public static final int PENDING_SIZE = 100;

  private StatusUpdates() {}

  /** A fresh copy to modify, so the cached resource is never changed in place. */
  static SchemaMigrationStatus copy(SchemaMigrationStatus s) {
    SchemaMigrationStatus c = new SchemaMigrationStatus();
    if (s == null) {
      return c;
    }
    c.setObservedGeneration(s.getObservedGeneration());
    c.setPhase(s.getPhase());
    c.setCurrentRevision(s.getCurrentRevision());
    c.setHeadRevision(s.getHeadRevision());
    c.setTargetRevision(s.getTargetRevision());
    c.setPendingMigrations(new ArrayList<>(orEmpty(s.getPendingMigrations())));
    c.setLastRun(s.getLastRun());
    c.setHistory(new ArrayList<>(orEmpty(s.getHistory())));
    c.setNextRetryTime(s.getNextRetryTime());
    c.setGatedDeployments(new ArrayList<>(orEmpty(s.getGatedDeployments())));
    c.setConditions(new ArrayList<>(orEmpty(s.getConditions())));
    // Fields a newer operator wrote stay until a transition replaces what they describe.
    s.getUnknownFields().forEach(c::setUnknownField);
    return c;
  }

  /**
   * Ready, Reconciling and Stalled as one decision sets them: never two of them True at once, and
   * Reconciling and Stalled carry the message only while they are True.
   */
  record Readiness(
      boolean ready, Reason reason, String message, boolean reconciling, boolean stalled) {
    /** The database is where the resource asks it to be. */
    static Readiness ready(Reason reason, String message) {
      return new Readiness(true, reason, message, false, false);
    }

    /** The operator is working on it: a run, a retry, a refused request. */
    static Readiness progressing(Reason reason, String message) {
      return new Readiness(false, reason, message, true, false);
    }

    /** Nothing happens until the user changes something. */
    static Readiness stalled(Reason reason, String message) {
      return new Readiness(false, reason, message, false, true);
    }

    /** Not ready, and on purpose: suspended. */
    static Readiness idle(Reason reason, String message) {
      return new Readiness(false, reason, message, false, false);
    }
  }

  /** A Job was created (or adopted) for a run. */
  static void runStarted(SchemaMigrationStatus s, RunRecord run, Stamp stamp) {
    putRun(s, run);
    s.setNextRetryTime(null);
    s.setPhase(Phase.Running);
    String what = run.getCommand() + " attempt " + run.getAttempt() + " in Job " + run.getJobName();
    readiness(s, Readiness.progressing(Reason.Migrating, "running " + what), stamp);
  }

  /**
   * A run ended. The revisions and the pending list move only when the runner read them back from
   * the database after the run; the head comes from the bundle and is kept whenever it was given.
   */
  static void runEnded(SchemaMigrationStatus s, RunRecord run, RunEnd end) {
    putRun(s, run);
    if (end.headRevision() != null) {
      s.setHeadRevision(end.headRevision());
    }
    if (end.stateKnown()) {
      s.setCurrentRevision(end.currentRevision());
      if (end.targetRevision() != null) {
        s.setTargetRevision(end.targetRevision());
      }
      List<String> p = end.pending() == null ? List.of() : end.pending();
      s.setPendingMigrations(new ArrayList<>(p.subList(0, Math.min(p.size(), PENDING_SIZE))));
    }
  }

  /** The database is at the target of this generation. */
  static void atTarget(SchemaMigrationStatus s, Stamp stamp) {
    s.setPhase(Phase.Succeeded);
    s.setNextRetryTime(null);
    String message =
        s.getCurrentRevision() == null || s.getCurrentRevision().isEmpty()
            ? "the bundle has no migrations to apply"
            : "database at revision " + s.getCurrentRevision();
    readiness(s, Readiness.ready(Reason.AtHead, message), stamp);
  }

  /** A transient failure waits for its retry at {@code when}. */
  static void retryScheduled(
      SchemaMigrationStatus s, RunPlan.Stalled failure, Instant when, Stamp stamp) {
    s.setPhase(Phase.Pending);
    s.setNextRetryTime(when.toString());
    String message = failure.message() + " (retry at " + when + ")";
    readiness(s, Readiness.progressing(failure.reason(), message), stamp);
  }

  /** Nothing runs until the spec or the retry annotation changes. */
  static void stalled(SchemaMigrationStatus s, RunPlan.Stalled why, Stamp stamp) {
    s.setPhase(Phase.Failed);
    s.setNextRetryTime(null);
    readiness(s, Readiness.stalled(why.reason(), why.message()), stamp);
  }

  /**
   * A reconciliation failed (a refused or unanswered Kubernetes API request, a fault of the
   * operator) and is retried; a run in progress goes on.
   */
  static void reconcileRetried(SchemaMigrationStatus s, ReconcileFailure failure, Stamp stamp) {
    boolean running = s.getLastRun() != null && s.getLastRun().getResult() == RunResult.Running;
    s.setPhase(running ? Phase.Running : Phase.Pending);
    readiness(s, Readiness.progressing(failure.reason(), failure.message()), stamp);
  }

  /** A run is about to start but waits (for an earlier Job to finish). */
  static void pending(SchemaMigrationStatus s, String message, Stamp stamp) {
    s.setPhase(Phase.Pending);
    readiness(s, Readiness.progressing(Reason.JobCreated, message), stamp);
  }

  /** spec.suspend: no new run starts. */
  static void suspended(SchemaMigrationStatus s, Stamp stamp) {
    s.setPhase(Phase.Suspended);
    s.setNextRetryTime(null);
    readiness(s, Readiness.idle(Reason.Suspended, "spec.suspend is true; no run starts"), stamp);
  }

  /**
   * The gate's part: the Deployments this resource holds paused, and {@code DeploymentsGated}
   * saying whether there are any. Only the condition's own generation stamp follows the resource.
   */
  static void gated(SchemaMigrationStatus s, List<String> held, Stamp stamp) {
    s.setGatedDeployments(new ArrayList<>(held));
    boolean any = !held.isEmpty();
    String message =
        any
            ? "holds "
                + held.size()
                + (held.size() == 1 ? " Deployment" : " Deployments")
                + " paused until the database is at the revision they require: "
                + String.join(", ", held)
            : "holds no Deployment";
    s.setConditions(
        set(
            s.getConditions(),
            new Conditions.State(
                Conditions.DEPLOYMENTS_GATED,
                any,
                (any ? Reason.DeploymentsHeld : Reason.NoDeploymentsHeld).name(),
                message),
            stamp));
  }

  /** Sets the three kstatus conditions from one decision and stamps the observed generation. */
  private static void readiness(SchemaMigrationStatus s, Readiness r, Stamp stamp) {
    s.setObservedGeneration(stamp.generation());
    String reason = r.reason().name();
    var c = s.getConditions();
    c = set(c, new Conditions.State(Conditions.READY, r.ready(), reason, r.message()), stamp);
    c =
        set(
            c,
            new Conditions.State(
                Conditions.RECONCILING,
                r.reconciling(),
                reason,
                r.reconciling() ? r.message() : ""),
            stamp);
    c =
        set(
            c,
            new Conditions.State(
                Conditions.STALLED, r.stalled(), reason, r.stalled() ? r.message() : ""),
            stamp);
    s.setConditions(c);
  }

  private static List<io.fabric8.kubernetes.api.model.Condition> set(
      List<io.fabric8.kubernetes.api.model.Condition> c, Conditions.State state, Stamp stamp) {
    return Conditions.set(c, state, stamp.generation(), stamp.now());
  }

  /** Makes {@code run} the last run and the newest history entry, replacing its earlier state. */
  private static void putRun(SchemaMigrationStatus s, RunRecord run) {
    s.setLastRun(run);
    List<RunRecord> history = new ArrayList<>();
    history.add(run);
    for (RunRecord r : orEmpty(s.getHistory())) {
      if (!Objects.equals(r.getJobName(), run.getJobName()) && history.size() < HISTORY_SIZE) {
        history.add(r);
      }
    }
    s.setHistory(history);
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
