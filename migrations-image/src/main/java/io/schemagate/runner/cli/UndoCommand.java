package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.RunnerSettings;
import io.schemagate.runner.engine.Undoer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code undo --target REV}: roll back applied migrations above REV with their U scripts. */
@Command(
    mixinStandardHelpOptions = true,
    name = "undo",
    description =
        "Roll back applied migrations above --target with their U scripts, newest first"
            + " (0 or base: all).")
final class UndoCommand extends RunnerCommand {
  @Option(
      names = "--target",
      required = true,
      description = "revision to return to (0 or base: all)")
  String target;

  UndoCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "undo";
  }

  @Override
  void run(RunResult result) throws Exception {
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    try (DatabaseSession session =
        DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller())) {
      new Undoer(session, bundle).undo(Revisions.parseUndoTarget(target), result);
    }
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
