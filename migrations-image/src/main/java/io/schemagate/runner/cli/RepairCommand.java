package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.Repairer;
import io.schemagate.runner.engine.RunnerSettings;
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
    RunnerSettings settings = options.settings();
    MigrationBundle bundle = MigrationBundle.read(settings.location());
    try (DatabaseSession session =
        DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller())) {
      new Repairer(session, bundle).repair(result);
    }
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
