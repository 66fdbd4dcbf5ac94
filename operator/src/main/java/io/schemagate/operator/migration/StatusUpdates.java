package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
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
public final class StatusUpdates {
  /** How many runs {@code status.history} keeps. */
  public static final int HISTORY_SIZE = 10;

  /** How many pending versions status lists; the runner's result may carry more. */
  public static final int PENDING_SIZE = 100;

  private StatusUpdates() {}

  /** A fresh copy to modify, so the cached resource is never changed in place. */
  public static SchemaMigrationStatus copy(SchemaMigrationStatus s) {
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

  /** A Job was created (or adopted) for a run. */
  public static void runStarted(SchemaMigrationStatus s, RunRecord run, long gen, Instant now) {
    putRun(s, run);
    s.setNextRetryTime(null);
    s.setPhase(Phase.Running);
    s.setObservedGeneration(gen);
    String what = run.getCommand() + " attempt " + run.getAttempt() + " in Job " + run.getJobName();
    conditions(s, false, Reason.Migrating, "running " + what, true, false, null, gen, now);
  }

  /**
   * A run ended. The revisions and the pending list move only when the runner read them back from
   * the database after the run; the head comes from the bundle and is kept whenever it was given.
   */
  public static void runEnded(
      SchemaMigrationStatus s,
      RunRecord run,
      String currentRevision,
      String headRevision,
      String targetRevision,
      List<String> pending,
      boolean stateKnown) {
    putRun(s, run);
    if (headRevision != null) {
      s.setHeadRevision(headRevision);
    }
    if (stateKnown) {
      s.setCurrentRevision(currentRevision);
      if (targetRevision != null) {
        s.setTargetRevision(targetRevision);
      }
      List<String> p = pending == null ? List.of() : pending;
      s.setPendingMigrations(new ArrayList<>(p.subList(0, Math.min(p.size(), PENDING_SIZE))));
    }
  }

  /** The database is at the target of this generation. */
  public static void atTarget(SchemaMigrationStatus s, long gen, Instant now) {
    s.setPhase(Phase.Succeeded);
    s.setNextRetryTime(null);
    s.setObservedGeneration(gen);
    String message =
        s.getCurrentRevision() == null || s.getCurrentRevision().isEmpty()
            ? "the bundle has no migrations to apply"
            : "database at revision " + s.getCurrentRevision();
    conditions(s, true, Reason.AtHead, message, false, false, null, gen, now);
  }

  /** A transient failure waits for its retry. */
  public static void retryScheduled(
      SchemaMigrationStatus s, Reason reason, String message, Instant when, long gen, Instant now) {
    s.setPhase(Phase.Pending);
    s.setNextRetryTime(when.toString());
    s.setObservedGeneration(gen);
    String m = message + " (retry at " + when + ")";
    conditions(s, false, reason, m, true, false, null, gen, now);
  }

  /** Nothing runs until the spec or the retry annotation changes. */
  public static void stalled(
      SchemaMigrationStatus s, Reason reason, String message, long gen, Instant now) {
    s.setPhase(Phase.Failed);
    s.setNextRetryTime(null);
    s.setObservedGeneration(gen);
    conditions(s, false, reason, message, false, true, reason, gen, now);
  }

  /**
   * A reconciliation failed (a refused or unanswered Kubernetes API request, a fault of the
   * operator) and is retried; a run in progress goes on.
   */
  public static void reconcileRetried(
      SchemaMigrationStatus s, Reason reason, String message, long gen, Instant now) {
    boolean running = s.getLastRun() != null && "Running".equals(s.getLastRun().getResult());
    s.setPhase(running ? Phase.Running : Phase.Pending);
    s.setObservedGeneration(gen);
    conditions(s, false, reason, message, true, false, null, gen, now);
  }

  /** A run is about to start (the Job is being created). */
  public static void pending(SchemaMigrationStatus s, String message, long gen, Instant now) {
    s.setPhase(Phase.Pending);
    s.setObservedGeneration(gen);
    conditions(s, false, Reason.JobCreated, message, true, false, null, gen, now);
  }

  /** spec.suspend: no new run starts. */
  public static void suspended(SchemaMigrationStatus s, long gen, Instant now) {
    s.setPhase(Phase.Suspended);
    s.setNextRetryTime(null);
    s.setObservedGeneration(gen);
    conditions(
        s,
        false,
        Reason.Suspended,
        "spec.suspend is true; no run starts",
        false,
        false,
        null,
        gen,
        now);
  }

  private static void conditions(
      SchemaMigrationStatus s,
      boolean ready,
      Reason readyReason,
      String message,
      boolean reconciling,
      boolean stalled,
      Reason stalledReason,
      long gen,
      Instant now) {
    var c = s.getConditions();
    c = Conditions.set(c, Conditions.READY, ready, readyReason.name(), message, gen, now);
    c =
        Conditions.set(
            c,
            Conditions.RECONCILING,
            reconciling,
            readyReason.name(),
            reconciling ? message : "",
            gen,
            now);
    c =
        Conditions.set(
            c,
            Conditions.STALLED,
            stalled,
            stalled ? stalledReason.name() : readyReason.name(),
            stalled ? message : "",
            gen,
            now);
    s.setConditions(c);
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
