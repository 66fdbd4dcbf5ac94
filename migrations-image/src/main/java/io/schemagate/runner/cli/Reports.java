package io.schemagate.runner.cli;

import io.schemagate.runner.RunResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Text renderings shared by commands. */
final class Reports {
  private Reports() {}

  static String revision(String r) {
    return r == null ? "none" : r;
  }

  /** Warns about versions in the database that the bundle does not know, once. */
  static void warnFuture(RunResult result) {
    if (!result.future().isEmpty()) {
      result.warn(
          "the database has versions "
              + String.join(", ", result.future())
              + " that this bundle does not know (an older bundle?); they were left as they are");
    }
  }

  /** One paragraph: where the database is, what ran or was undone, what is left. */
  static void printRevisionSummary(PrintStream out, RunResult result) {
    out.println(
        "current revision: "
            + revision(result.currentRevision())
            + "  head: "
            + revision(result.headRevision())
            + "  target: "
            + revision(result.targetRevision()));
    if (!result.applied().isEmpty()) {
      out.println("applied: " + result.applied().size());
      for (RunResult.Applied a : result.applied()) {
        out.printf(
            "  %-10s %-50s %6d ms%n",
            a.version() == null ? "R" : a.version(), a.description(), a.durationMs());
      }
    }
    if (result.extra().get("undone") instanceof List<?> undone && !undone.isEmpty()) {
      out.println("undone: " + undone.size());
      for (Object o : undone) {
        if (o instanceof Map<?, ?> m) {
          out.printf(
              "  %-10s %-50s %6s ms%n",
              m.get("version"), m.get("description"), m.get("durationMs"));
        }
      }
    }
    if (!result.pending().isEmpty()) {
      out.println("pending: " + String.join(", ", result.pending()));
    }
    if (!result.future().isEmpty()) {
      out.println("future (unknown to this bundle): " + String.join(", ", result.future()));
    }
    for (String w : result.warnings()) {
      out.println("warning: " + w);
    }
  }
}
