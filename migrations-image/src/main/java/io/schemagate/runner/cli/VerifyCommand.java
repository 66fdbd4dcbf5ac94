package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Plural;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.DatabaseConnector;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.Migrator;
import io.schemagate.runner.engine.Progress;
import io.schemagate.runner.engine.RunnerSettings;
import io.schemagate.runner.engine.Undoer;
import io.schemagate.runner.verify.CatalogDiff;
import io.schemagate.runner.verify.CatalogSnapshot;
import io.schemagate.runner.verify.ScratchDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code verify}: proves the bundle's undo scripts undo exactly what the migrations do — migrate to
 * head, snapshot the catalog, undo to base (nothing may remain), migrate again, compare — on a
 * throwaway database, never the one in {@code --url} itself.
 */
final class VerifyCommand extends RunnerCommand {
  VerifyCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "verify";
  }

  @Override
  String summary() {
    return "Migrate, undo to base, migrate again on a throwaway database and compare the catalogs (embedded PostgreSQL, or a scratch database on the --url server).";
  }

  @Override
  void run(RunResult result) throws Exception {
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    Progress progress = ctx.progress();
    // Only an explicit --url: in a pod SCHEMAGATE_URL names the production database, and
    // verify must never be pointed at that server by accident.
    DatabaseConnector server = options.url == null ? null : options.connector(ctx);
    try (ScratchDatabase scratch =
        server == null
            ? ScratchDatabase.embedded()
            : ScratchDatabase.onServer(server.url(), server.user(), server.password())) {
      progress.line("Verifying on a scratch database");
      DatabaseConnector connector =
          new DatabaseConnector(
              scratch.jdbcUrl(),
              scratch.user(),
              scratch.password(),
              options.duration("--connect-timeout", options.connectTimeout),
              progress,
              ctx.canceller());
      try (DatabaseSession session =
          DatabaseSession.open(connector, settings, progress, ctx.canceller())) {
        runAndReadBack(session, bundle, result, this::migrateUndoMigrate);
      }
    }
  }

  /** The three steps on the scratch database, comparing catalog snapshots between them. */
  private void migrateUndoMigrate(DatabaseSession session, MigrationBundle bundle, RunResult result)
      throws Exception {
    String table = session.settings().historyTable();
    Progress progress = ctx.progress();
    progress.line("Step 1/3: migrate to head");
    new Migrator(session, bundle).migrate(null, false, result);
    CatalogSnapshot first = CatalogSnapshot.capture(session.connection(), session.schemas(), table);

    progress.line("Step 2/3: undo to base");
    new Undoer(session, bundle).undo(null, new RunResult("undo"));
    CatalogSnapshot base = CatalogSnapshot.capture(session.connection(), session.schemas(), table);
    List<String> differences = new ArrayList<>();
    for (String left : base.userObjects()) {
      differences.add("left after undo to base: " + left);
    }
    if (!differences.isEmpty()) {
      // Re-applying on top of leftovers would fail for reasons that only hide this one.
      throw mismatch(differences, result, "after undo to base");
    }

    progress.line("Step 3/3: migrate to head again");
    new Migrator(session, bundle).migrate(null, false, new RunResult("migrate"));
    CatalogSnapshot second =
        CatalogSnapshot.capture(session.connection(), session.schemas(), table);
    differences.addAll(CatalogDiff.compare(first, second));
    result.put("objects", first.entries().size());
    result.put("differences", differences);
    if (!differences.isEmpty()) {
      throw mismatch(differences, result, "after migrate, undo, migrate");
    }
  }

  private RunnerException mismatch(List<String> differences, RunResult result, String when) {
    result.put("differences", differences);
    differences.forEach(d -> ctx.progress().line("difference: " + d));
    return new RunnerException(
        Reason.VerifyMismatch,
        Plural.of(differences.size(), "difference") + " " + when + "; first: " + differences.get(0),
        FailureDetail.NONE,
        null);
  }

  @Override
  void printText(RunResult result) {
    if (result.succeeded()) {
      ctx.out()
          .println(
              "verified: "
                  + Plural.of(result.applied().size(), "migration")
                  + " applied, undone and re-applied; "
                  + Plural.of(
                      result.extra().get("objects") instanceof Number n ? n.longValue() : 0,
                      "catalog entry",
                      "catalog entries")
                  + " identical");
    }
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
