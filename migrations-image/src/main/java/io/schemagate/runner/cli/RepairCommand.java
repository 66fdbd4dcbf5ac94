package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.Repairer;
import java.util.List;
import java.util.Map;

/** {@code repair}: fix the history table (failed rows, checksums); never user objects. */
final class RepairCommand extends RunnerCommand {
  RepairCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "repair";
  }

  @Override
  String summary() {
    return "Remove failed rows and realign checksums in the history table; reports what it changed.";
  }

  @Override
  void run(RunResult result) throws Exception {
    inSession(result, (session, bundle, r) -> new Repairer(session, bundle).repair(r));
  }

  @Override
  @SuppressWarnings("unchecked")
  void printText(RunResult result) {
    Object changes = result.extra().get("changes");
    if (changes instanceof List<?> list) {
      ctx.out().println(list.isEmpty() ? "nothing to repair" : "repaired: " + list.size());
      for (Object o : list) {
        Map<String, Object> m = (Map<String, Object>) o;
        ctx.out().println("  " + m.get("script") + ": " + m.get("detail"));
      }
    }
    Reports.printRevisionSummary(ctx.out(), result);
  }
}
