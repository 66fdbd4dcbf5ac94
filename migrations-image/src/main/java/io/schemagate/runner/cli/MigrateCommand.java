package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.Migrator;
import io.schemagate.runner.lint.Linter;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/** {@code migrate}: apply pending migrations up to a target (default: head). */
final class MigrateCommand extends RunnerCommand {
  String target;

  boolean allowDowngrade;

  boolean lint;
  boolean lintWarn;

  MigrateCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "migrate";
  }

  @Override
  String summary() {
    return "Apply pending migrations up to --target (default: the bundle's head).";
  }

  @Override
  List<OptionSpec> ownOptions() {
    return List.of(
        OptionSpec.value("--target", "REV", "revision to reach (default: head)"),
        OptionSpec.flag(
            "--allow-downgrade",
            "a target below the current revision runs undo scripts instead of failing"),
        OptionSpec.flag("--lint", "lint the pending files first; lint errors stop the run"),
        OptionSpec.flag(
            "--lint-warn",
            "lint the pending files first; report every finding as a warning and apply anyway"));
  }

  @Override
  void bind(ParsedArguments args) throws UsageException {
    super.bind(args);
    target = args.value("--target");
    allowDowngrade = args.flag("--allow-downgrade");
    lint = args.flag("--lint");
    lintWarn = args.flag("--lint-warn");
    if (lint && lintWarn) {
      throw new UsageException("--lint and --lint-warn exclude each other");
    }
  }

  @Override
  void run(RunResult result) throws Exception {
    MigrationVersion targetVersion = Revisions.parse("--target", target);
    inSession(
        result,
        (session, bundle, r) -> {
          if (lint || lintWarn) {
            LintGate.checkPending(
                Linter.lint(bundle.location()), session.state(bundle), r, ctx.progress(), lintWarn);
          }
          new Migrator(session, bundle).migrate(targetVersion, allowDowngrade, r);
        });
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
