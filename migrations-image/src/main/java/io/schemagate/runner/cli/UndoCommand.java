package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.Undoer;
import java.util.List;

/** {@code undo --target REV}: roll back applied migrations above REV with their U scripts. */
final class UndoCommand extends RunnerCommand {
  String target;

  UndoCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "undo";
  }

  @Override
  String summary() {
    return "Roll back applied migrations above --target with their U scripts, newest first (0 or base: all).";
  }

  @Override
  List<OptionSpec> ownOptions() {
    return List.of(
        OptionSpec.value("--target", "REV", "revision to return to (0 or base: all)").asRequired());
  }

  @Override
  void bind(ParsedArguments args) throws UsageException {
    super.bind(args);
    target = args.value("--target");
  }

  @Override
  void run(RunResult result) throws Exception {
    inSession(
        result,
        (session, bundle, r) ->
            new Undoer(session, bundle).undo(Revisions.parseUndoTarget(target), r));
  }

  @Override
  void printText(RunResult result) {
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
