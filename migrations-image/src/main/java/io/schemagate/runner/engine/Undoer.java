package io.schemagate.runner.engine;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Plural;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Rolls applied migrations back with their {@code U} scripts, newest first, under Flyway's lock.
 * Each transactional undo script and the deletion of its history row commit together, so the
 * history never claims a version whose objects are gone. Everything is checked before the first
 * change: a missing undo script refuses the whole undo.
 */
public final class Undoer {
  private final DatabaseSession session;
  private final MigrationBundle bundle;
  private final Progress progress;
  private final ScriptExecutor executor;

  public Undoer(DatabaseSession session, MigrationBundle bundle) {
    this.session = session;
    this.bundle = bundle;
    this.progress = session.progress();
    this.executor = new ScriptExecutor(session);
  }

  /**
   * Undoes every applied version above {@code target} (null: all of them). Undone migrations are
   * listed in the result under {@code undone}.
   */
  public void undo(MigrationVersion target, RunResult result) throws SQLException {
    MigrationScript head = bundle.head();
    result.headRevision(head == null ? null : head.versionText());
    result.targetRevision(target == null ? null : target.getVersion());
    List<Map<String, Object>> undone = new ArrayList<>();
    result.put("undone", undone);
    // Checked before the lock and before looking for a history table: an unknown target is
    // wrong on every database, an empty one included.
    session.state(bundle).requireKnownTarget(target);
    if (!session.history().exists()) {
      progress.line("Nothing to undo: the database has no history table");
      return;
    }
    try (AdvisoryLock lock = session.lock()) {
      SchemaState state = session.state(bundle);
      if (state.hasTeamsUndoRows()) {
        throw new RunnerException(
            Reason.UndoUnavailable,
            "the history table holds Flyway Teams undo rows (UNDO_SQL); undo them with Flyway"
                + " Teams, or repair the history first");
      }
      state.requireConsistent();
      List<SchemaState.Entry> above = state.appliedAbove(target);
      Map<SchemaState.Entry, MigrationScript> plan = plan(above);
      if (plan.isEmpty()) {
        progress.line(
            "Nothing to undo: the database is at revision "
                + (state.current() == null ? "none" : state.current().getVersion()));
        return;
      }
      // Every undo script is read and checked before the first runs: one that cannot run (bad
      // syntax, mixed transactional and non-transactional statements) refuses them all. Each is
      // read again when it runs, so memory holds one script at a time however many there are.
      for (MigrationScript undoScript : plan.values()) {
        executor.runsInTransaction(undoScript, executor.prepare(undoScript));
      }
      int n = 0;
      for (Map.Entry<SchemaState.Entry, MigrationScript> step : plan.entrySet()) {
        n++;
        SchemaState.Entry applied = step.getKey();
        MigrationScript undoScript = step.getValue();
        progress.line("Undoing " + n + "/" + plan.size() + ": " + undoScript.label());
        long ms = undoOne(applied.row(), undoScript, executor.prepare(undoScript));
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("version", applied.versionText());
        u.put("description", applied.description());
        u.put("durationMs", ms);
        undone.add(u);
      }
      MigrationVersion now = session.state(bundle).current();
      progress.line(
          "Undid "
              + Plural.of(plan.size(), "migration")
              + "; database at revision "
              + (now == null ? "none (base)" : now.getVersion()));
    }
  }

  /**
   * Pairs each applied version with its undo script, refusing before any change if one is missing.
   */
  private Map<SchemaState.Entry, MigrationScript> plan(List<SchemaState.Entry> above) {
    Map<SchemaState.Entry, MigrationScript> plan = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (SchemaState.Entry e : above) {
      if (e.state() == MigrationState.BASELINE) {
        throw new RunnerException(
            Reason.UndoUnavailable,
            "cannot undo below the baseline "
                + e.versionText()
                + ": the database was adopted at that revision and has no undo scripts for it",
            new FailureDetail(e.versionText(), null, null, null, false),
            null);
      }
      bundle
          .undoFor(e.version())
          .ifPresentOrElse(u -> plan.put(e, u), () -> missing.add(e.versionText()));
    }
    if (!missing.isEmpty()) {
      throw new RunnerException(
          Reason.UndoUnavailable,
          "no undo script for "
              + (missing.size() == 1 ? "version " : "versions ")
              + String.join(", ", missing)
              + "; nothing was undone (add U<version>__<description>.sql files to the bundle)",
          new FailureDetail(missing.get(0), null, null, null, false),
          null);
    }
    return plan;
  }

  private long undoOne(HistoryRow row, MigrationScript undoScript, PreparedScript sql)
      throws SQLException {
    long start = System.nanoTime();
    if (executor.runsInTransaction(undoScript, sql)) {
      executor.executeInTransaction(
          undoScript, sql, () -> session.history().delete(row.installedRank()));
    } else {
      executor.execute(undoScript, sql, true);
      session.history().delete(row.installedRank());
    }
    return Migrator.elapsedMs(start);
  }
}
