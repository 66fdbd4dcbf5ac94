package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.lint.Linter;
import picocli.CommandLine.Command;

/** {@code lint}: static checks of the SQL files; no database. */
@Command(
    mixinStandardHelpOptions = true,
    name = "lint",
    description = "Static checks of the migration files; no database needed.")
final class LintCommand extends RunnerCommand {
  LintCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "lint";
  }

  @Override
  void run(RunResult result) throws Exception {
    LintGate.check(Linter.lint(options.location), result, ctx.progress());
  }

  @Override
  void printText(RunResult result) {
    ctx.out()
        .println(
            result.extra().get("errorCount")
                + " errors, "
                + result.extra().get("warningCount")
                + " warnings");
  }
}
