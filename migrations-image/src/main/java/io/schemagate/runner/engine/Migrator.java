package io.schemagate.runner.engine;

import io.schemagate.runner.Plural;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Applies pending migrations, one transaction per migration with its history row in the same
 * transaction, under Flyway's advisory lock. The lock and the history are only touched when there
 * is work: a database already at the target costs one read of the history table.
 */
public final class Migrator {
  private final DatabaseSession session;
  private final MigrationBundle bundle;
  private final Progress progress;
  private final ScriptExecutor executor;

  public Migrator(DatabaseSession session, MigrationBundle bundle) {
    this.session = session;
    this.bundle = bundle;
    this.progress = session.progress();
    this.executor = new ScriptExecutor(session);
  }

  /**
   * Brings the database to {@code target} (null: the bundle's head).
   *
   * @param allowDowngrade whether a target below the current revision runs undo scripts
   */
  public void migrate(MigrationVersion target, boolean allowDowngrade, RunResult result)
      throws SQLException {
    MigrationScript head = bundle.head();
    result.headRevision(head == null ? null : head.versionText());
    result.targetRevision(
        target != null ? target.getVersion() : head == null ? null : head.versionText());

    SchemaState state = session.state(bundle);
    state.requireConsistent();
    state.requireKnownTarget(target);
    if (isDowngrade(state, target)) {
      downgrade(state, target, allowDowngrade, result);
      return;
    }
    if (work(state, target).isEmpty() && session.history().exists()) {
      progress.line(upToDate(state));
      return;
    }

    try (AdvisoryLock lock = session.lock()) {
      session.ensureHistory();
      // Another runner may have migrated while this one waited for the lock.
      state = session.state(bundle);
      state.requireConsistent();
      if (isDowngrade(state, target)) {
        downgrade(state, target, allowDowngrade, result);
        return;
      }
      List<MigrationScript> work = work(state, target);
      if (work.isEmpty()) {
        progress.line(upToDate(state));
        return;
      }
      // A Job's log is the runner's output: one line as the work starts, one as each migration
      // starts (the one a deadline or a hang interrupts is named) and ends, and one at the end.
      long started = System.nanoTime();
      progress.line(starting(state, target, work.size()));
      int n = 0;
      try (ParseAhead prepared = new ParseAhead(work, executor::prepare)) {
        for (MigrationScript script : work) {
          n++;
          String counted = n + "/" + work.size() + ": " + script.label();
          progress.line("Applying " + counted);
          long start = System.nanoTime();
          apply(script, prepared.get(n - 1));
          progress.line("Applied " + counted + " in " + elapsedMs(start) + " ms");
        }
      }
      progress.line(
          "Applied "
              + Plural.of(work.size(), "migration")
              + " in "
              + elapsedMs(started)
              + " ms; database at revision "
              + session.state(bundle).current().getVersion());
    }
  }

  private List<MigrationScript> work(SchemaState state, MigrationVersion target) {
    List<MigrationScript> work = new ArrayList<>(state.pendingVersioned(target));
    work.addAll(state.pendingRepeatable());
    return work;
  }

  private static boolean isDowngrade(SchemaState state, MigrationVersion target) {
    return target != null && state.current() != null && target.compareTo(state.current()) < 0;
  }

  private void downgrade(
      SchemaState state, MigrationVersion target, boolean allowDowngrade, RunResult result)
      throws SQLException {
    if (!allowDowngrade) {
      List<String> above =
          state.appliedAbove(target).stream().map(SchemaState.Entry::versionText).toList();
      throw new RunnerException(
          Reason.DowngradeRefused,
          "target "
              + target.getVersion()
              + " is below the current revision "
              + state.current().getVersion()
              + "; reaching it would undo "
              + String.join(", ", above)
              + ". Pass --allow-downgrade to run their undo scripts.");
    }
    new Undoer(session, bundle).undo(target, result);
  }

  private String starting(SchemaState state, MigrationVersion target, int count) {
    MigrationScript head = bundle.head();
    String to = target != null ? target.getVersion() : head == null ? null : head.versionText();
    return "Migrating "
        + (state.current() == null
            ? "an empty database"
            : "from revision " + state.current().getVersion())
        + (to == null ? "" : " to revision " + to)
        + ": "
        + Plural.of(count, "migration")
        + " to apply";
  }

  private static String upToDate(SchemaState state) {
    return state.current() == null
        ? "Nothing to apply: the bundle has no migrations"
        : "Database is up to date at revision " + state.current().getVersion();
  }

  /** Applies one script and records it with its execution time. */
  private void apply(MigrationScript script, PreparedScript sql) throws SQLException {
    boolean transactional = executor.runsInTransaction(script, sql);
    long start = System.nanoTime();
    if (transactional) {
      executor.executeInTransaction(script, sql, () -> record(script, elapsedMs(start), true));
      return;
    }
    try {
      executor.execute(script, sql, true);
    } catch (RunnerException e) {
      // As Flyway does: a failed non-transactional migration leaves a failed row until repair.
      try {
        record(script, elapsedMs(start), false);
      } catch (SQLException rowError) {
        // The connection may be gone with the failure; the migration's own error matters more.
        e.addSuppressed(rowError);
        progress.line("Could not record the failed migration: " + SqlFailure.describe(rowError));
      }
      throw e;
    }
    record(script, elapsedMs(start), true);
  }

  private void record(MigrationScript script, int ms, boolean success) throws SQLException {
    session
        .history()
        .append(
            script.versionText(),
            script.description(),
            HistoryRow.SQL,
            script.script(),
            script.checksum(),
            ms,
            success);
  }

  static int elapsedMs(long startNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
  }
}
