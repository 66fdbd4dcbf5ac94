package io.schemagate.runner.cli;

import io.schemagate.runner.Plural;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.lint.Linter;

/** {@code lint}: static checks of the SQL files; no database. */
final class LintCommand extends RunnerCommand {
  LintCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "lint";
  }

  @Override
  String summary() {
    return "Static checks of the migration files; no database needed.";
  }

  @Override
  void run(RunResult result) throws Exception {
    LintGate.check(Linter.lint(options.location), result, ctx.progress());
  }

  @Override
  void printText(RunResult result) {
    ctx.out()
        .println(
            Plural.of(count(result, "errorCount"), "error")
                + ", "
                + Plural.of(count(result, "warningCount"), "warning"));
  }

  private static long count(RunResult result, String key) {
    return result.extra().get(key) instanceof Number n ? n.longValue() : 0;
  }
}
