package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.Baseliner;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code baseline --version REV}: adopt an existing database at REV without running migrations up
 * to it.
 */
final class BaselineCommand extends RunnerCommand {
  String version;

  BaselineCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "baseline";
  }

  @Override
  String summary() {
    return "Mark an existing database (e.g. one Alembic managed) as being at --version.";
  }

  @Override
  List<OptionSpec> ownOptions() {
    return List.of(
        OptionSpec.value("--version", "REV", "the revision the database is at").asRequired());
  }

  @Override
  void bind(ParsedArguments args) throws UsageException {
    super.bind(args);
    version = args.value("--version");
  }

  @Override
  void run(RunResult result) throws Exception {
    MigrationVersion v = Revisions.parse("--version", version);
    if (v == null) {
      throw new RunnerException(Reason.ConfigurationInvalid, "--version must name a revision");
    }
    inSession(result, (session, bundle, r) -> new Baseliner(session, bundle).baseline(v, r));
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
