package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Adopts an existing database (one Alembic or hand-written SQL built) at a revision, as Flyway's
 * baseline does: one BASELINE row, and migrations at or below it are never run.
 */
public final class Baseliner {
  static final String BASELINE_DESCRIPTION = "<< Flyway Baseline >>";

  private final DatabaseSession session;
  private final MigrationBundle bundle;

  public Baseliner(DatabaseSession session, MigrationBundle bundle) {
    this.session = session;
    this.bundle = bundle;
  }

  public void baseline(MigrationVersion version, RunResult result) throws SQLException {
    MigrationScript head = bundle.head();
    result.headRevision(head == null ? null : head.versionText());
    result.targetRevision(version.getVersion());
    try (AdvisoryLock lock = session.lock()) {
      session.ensureHistory();
      List<HistoryRow> rows = session.history().rows();
      List<HistoryRow> migrations = rows.stream().filter(HistoryRow::isVersioned).toList();
      boolean alreadyHere =
          migrations.size() == 1
              && migrations.get(0).type().equals(HistoryRow.BASELINE)
              && migrations.get(0).parsedVersion().equals(version);
      if (alreadyHere) {
        session.progress().line("Database is already baselined at " + version.getVersion());
      } else if (!migrations.isEmpty()
          || rows.stream()
              .anyMatch(r -> r.version() == null && !r.type().equals(HistoryRow.SCHEMA))) {
        throw new RunnerException(
            Reason.ValidationFailed,
            "the database already has migration history (revision "
                + SchemaState.of(bundle, rows, true).current()
                + "); baseline only adopts a database that has none");
      } else {
        session
            .history()
            .append(
                version.getVersion(),
                BASELINE_DESCRIPTION,
                HistoryRow.BASELINE,
                BASELINE_DESCRIPTION,
                null,
                0,
                true);
        session.progress().line("Baselined the database at revision " + version.getVersion());
      }
    }
  }
}
