package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.MigrationScript;
import io.schemagate.runner.engine.RunnerSettings;
import io.schemagate.runner.engine.SchemaState;

/**
 * {@code validate}: do the files and the history agree? Changes nothing; pending migrations are
 * fine.
 */
final class ValidateCommand extends RunnerCommand {
  ValidateCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "validate";
  }

  @Override
  String summary() {
    return "Check checksums, order, duplicates, missing files and failed rows; changes nothing.";
  }

  @Override
  void run(RunResult result) throws Exception {
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    try (DatabaseSession session =
        DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller())) {
      SchemaState state = session.state(bundle);
      MigrationScript head = bundle.head();
      result.headRevision(head == null ? null : head.versionText());
      result.targetRevision(result.headRevision());
      state.describeInto(result);
      Reports.warnFuture(result);
      result.put("problems", state.problems());
      for (String p : state.problems()) {
        ctx.progress().line("invalid: " + p);
      }
      state.requireConsistent();
    }
  }

  @Override
  void printText(RunResult result) {
    if (result.succeeded()) {
      ctx.out().println("valid: the history matches the bundle");
    }
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
