package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
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
    inSession(
        result,
        (session, bundle, r) -> {
          SchemaState state = session.state(bundle);
          r.targetRevision(r.headRevision());
          r.put("problems", state.problems());
          for (String p : state.problems()) {
            ctx.progress().line("invalid: " + p);
          }
          state.requireConsistent();
        });
  }

  @Override
  void printText(RunResult result) {
    if (result.succeeded()) {
      ctx.out().println("valid: the history matches the bundle");
    }
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
