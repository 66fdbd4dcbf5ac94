package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.engine.SchemaState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code info}: every migration with its state, plus current and head — history, current and status
 * in one view.
 */
final class InfoCommand extends RunnerCommand {
  InfoCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "info";
  }

  @Override
  String summary() {
    return "Show applied, pending, failed, future and missing migrations, the current revision and the head.";
  }

  @Override
  void run(RunResult result) throws Exception {
    inSession(
        result,
        (session, bundle, r) -> {
          SchemaState state = session.state(bundle);
          r.targetRevision(r.headRevision());
          state.problems().forEach(r::warn);
          r.put("migrations", rows(state));
        });
  }

  static List<Map<String, Object>> rows(SchemaState state) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SchemaState.Entry e : state.entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", e.versionText());
      m.put("description", e.description());
      m.put("script", e.script());
      m.put("state", e.state().text());
      m.put(
          "installedOn",
          e.row() == null || e.row().installedOn() == null
              ? null
              : e.row().installedOn().toString());
      m.put("installedBy", e.row() == null ? null : e.row().installedBy());
      m.put("executionTimeMs", e.row() == null ? null : e.row().executionTimeMs());
      rows.add(m);
    }
    return rows;
  }

  @Override
  @SuppressWarnings("unchecked")
  void printText(RunResult result) {
    Object rows = result.extra().get("migrations");
    if (rows instanceof List<?> list && !list.isEmpty()) {
      ctx.out()
          .printf(
              "%-10s %-40s %-14s %-20s %10s%n",
              "VERSION", "DESCRIPTION", "STATE", "INSTALLED ON", "TIME (ms)");
      for (Object o : list) {
        Map<String, Object> m = (Map<String, Object>) o;
        ctx.out()
            .printf(
                "%-10s %-40s %-14s %-20s %10s%n",
                m.get("version") == null ? "R" : m.get("version"),
                clip(String.valueOf(m.get("description")), 40),
                m.get("state"),
                m.get("installedOn") == null ? "" : dateTime(String.valueOf(m.get("installedOn"))),
                m.get("executionTimeMs") == null ? "" : m.get("executionTimeMs"));
      }
      ctx.out().println();
    }
    Reports.printRevisionSummary(ctx.out(), result);
  }

  /** {@code 2026-11-25T23:12:25.123Z} as {@code 2026-11-25 23:12:25} (UTC). */
  private static String dateTime(String instant) {
    return instant.length() < 19 ? instant : instant.substring(0, 19).replace('T', ' ');
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
