package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.Baseliner;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.RunnerSettings;
import org.flywaydb.core.api.MigrationVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baseline --version REV}: adopt an existing database at REV without running migrations up
 * to it.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "baseline",
    description = "Mark an existing database (e.g. one Alembic managed) as being at --version.")
final class BaselineCommand extends RunnerCommand {
  @Option(names = "--version", required = true, description = "the revision the database is at")
  String version;

  BaselineCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "baseline";
  }

  @Override
  void run(RunResult result) throws Exception {
    MigrationVersion v = Revisions.parse("--version", version);
    if (v == null) {
      throw new RunnerException(Reason.ConfigurationInvalid, "--version must name a revision");
    }
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    try (DatabaseSession session =
        DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller())) {
      new Baseliner(session, bundle).baseline(v, result);
    }
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
