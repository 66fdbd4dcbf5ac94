package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.Migrator;
import io.schemagate.runner.engine.RunnerSettings;
import io.schemagate.runner.lint.Linter;
import org.flywaydb.core.api.MigrationVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate}: apply pending migrations up to a target (default: head). */
@Command(
    mixinStandardHelpOptions = true,
    name = "migrate",
    description = "Apply pending migrations up to --target (default: the bundle's head).")
final class MigrateCommand extends RunnerCommand {
  @Option(names = "--target", description = "revision to reach (default: head)")
  String target;

  @Option(
      names = "--allow-downgrade",
      description = "a target below the current revision runs undo scripts instead of failing")
  boolean allowDowngrade;

  @Option(names = "--lint", description = "lint the pending files first; lint errors stop the run")
  boolean lint;

  MigrateCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "migrate";
  }

  @Override
  void run(RunResult result) throws Exception {
    MigrationVersion targetVersion = Revisions.parse("--target", target);
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    result.headRevision(bundle.head() == null ? null : bundle.head().versionText());
    try (DatabaseSession session =
        DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller())) {
      if (lint) {
        LintGate.checkPending(
            Linter.lint(settings.location()), session.state(bundle), result, ctx.progress());
      }
      try {
        new Migrator(session, bundle).migrate(targetVersion, allowDowngrade, result);
      } finally {
        Reports.warnFuture(result);
      }
    }
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
