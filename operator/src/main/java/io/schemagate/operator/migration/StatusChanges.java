package io.schemagate.operator.migration;

import io.fabric8.kubernetes.api.model.Condition;
import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.SafeText;
import io.schemagate.operator.metrics.MigrationMetrics;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an accepted status write tells the rest of the operator: the runs it records as ended are
 * counted ({@link MigrationMetrics}), and a change of state is one log line. Both read the status
 * as the API server stored it, after the write.
 */
final class StatusChanges {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrationReconciler.class);

  private final MigrationMetrics metrics;

  /**
   * @param metrics where ended runs are counted; null: nowhere
   */
  StatusChanges(MigrationMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code after} was written over {@code before}. */
  void written(SchemaMigration sm, SchemaMigrationStatus before, SchemaMigrationStatus after) {
    if (after == null) {
      return;
    }
    if (metrics != null) {
      metrics.written(sm, before, after);
    }
    State was = State.of(before);
    State now = State.of(after);
    if (now.equals(was)) {
      return;
    }
    String line = now.describe(SchemaMigrationReconciler.ref(sm), was);
    if (now.stalled() || "False".equals(now.ready()) && now.failing()) {
      LOG.warn(line);
    } else {
      LOG.info(line);
    }
  }

  /**
   * The state a log line tells: the phase, the revision, the run in progress, and the Ready
   * condition's status and reason (a new message with the same reason, e.g. another retry time, is
   * not a new state).
   */
  record State(
      Phase phase,
      String revision,
      String ready,
      String reason,
      String message,
      String running,
      boolean stalled,
      boolean failing) {
    static State of(SchemaMigrationStatus s) {
      if (s == null) {
        return new State(null, null, null, null, null, null, false, false);
      }
      Condition ready = Conditions.find(s.getConditions(), Conditions.READY);
      RunRecord last = s.getLastRun();
      boolean failing = last != null && last.getResult() == RunResult.Failed;
      String running =
          last != null && last.getResult() == RunResult.Running ? last.getJobName() : null;
      return new State(
          s.getPhase(),
          s.getCurrentRevision(),
          ready == null ? null : ready.getStatus(),
          ready == null ? null : ready.getReason(),
          ready == null ? null : ready.getMessage(),
          running,
          Conditions.isTrue(s.getConditions(), Conditions.STALLED),
          failing);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State t
          && phase == t.phase
          && Objects.equals(revision, t.revision)
          && Objects.equals(ready, t.ready)
          && Objects.equals(reason, t.reason)
          && Objects.equals(running, t.running)
          && stalled == t.stalled;
    }

    @Override
    public int hashCode() {
      return Objects.hash(phase, revision, ready, reason, running, stalled);
    }

    /**
     * E.g. {@code SchemaMigration(shop/orders): Running -> Succeeded, revision 7, Ready=True
     * AtHead: database at revision 7}.
     */
    String describe(String ref, State was) {
      StringBuilder b = new StringBuilder(ref).append(": ");
      b.append(was.phase == null ? "new" : was.phase.name()).append(" -> ");
      b.append(phase == null ? "(no phase)" : phase.name());
      b.append(", revision ").append(revision == null || revision.isEmpty() ? "(none)" : revision);
      if (!Objects.equals(revision, was.revision) && was.phase != null) {
        b.append(" (was ")
            .append(was.revision == null || was.revision.isEmpty() ? "(none)" : was.revision)
            .append(')');
      }
      if (ready != null) {
        b.append(", Ready=").append(ready);
        if (reason != null) {
          b.append(' ').append(reason);
        }
        if (message != null && !message.isEmpty()) {
          b.append(": ").append(SafeText.of(message));
        }
      }
      return b.toString();
    }
  }
}
