package io.schemagate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The markdown results of one run: environment, times, ratios and targets. */
final class BenchReport {

  private final List<String> environment = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Samples> jvmStarts;
  private final List<ToolSamples> main;
  private final List<ToolSamples> largeNoop;
  private final int migrations;
  private final int noopMigrations;
  private final List<TargetVerdict> targets = new ArrayList<>();

  BenchReport(
      Map<String, Samples> jvmStarts,
      List<ToolSamples> main,
      List<ToolSamples> largeNoop,
      int migrations,
      int noopMigrations) {
    this.jvmStarts = jvmStarts;
    this.main = main;
    this.largeNoop = largeNoop;
    this.migrations = migrations;
    this.noopMigrations = noopMigrations;
  }

  void environment(String line) {
    environment.add(line);
  }

  void note(String line) {
    notes.add(line);
  }

  void target(TargetVerdict verdict) {
    targets.add(verdict);
  }

  String markdown(String date) {
    StringBuilder out = new StringBuilder();
    out.append("### Results, ").append(date).append("\n\n");
    for (String line : environment) {
      out.append("- ").append(line).append('\n');
    }
    for (String line : notes) {
      out.append("- ").append(line).append('\n');
    }
    out.append("\nWall time of the whole process, median (min–max):\n\n");
    out.append("| tool | apply ")
        .append(migrations)
        .append(" | no-op (already at head) |\n|---|---|---|\n");
    for (Map.Entry<String, Samples> start : jvmStarts.entrySet()) {
      out.append("| JVM start reference: hello world, ")
          .append(start.getKey())
          .append(" | ")
          .append(start.getValue().format())
          .append(" | — |\n");
    }
    for (ToolSamples samples : main) {
      out.append("| ")
          .append(samples.tool().label())
          .append(" | ")
          .append(samples.apply().format())
          .append(" | ")
          .append(samples.noop().format())
          .append(" |\n");
    }
    if (!largeNoop.isEmpty()) {
      out.append("\nWith ").append(noopMigrations).append(" migrations:\n\n");
      out.append("| tool | apply ")
          .append(noopMigrations)
          .append(" | no-op with ")
          .append(noopMigrations)
          .append(" applied |\n|---|---|---|\n");
      for (ToolSamples samples : largeNoop) {
        out.append("| ")
            .append(samples.tool().label())
            .append(" | ")
            .append(samples.apply().format())
            .append(" | ")
            .append(samples.noop().format())
            .append(" |\n");
      }
    }
    out.append("\nRatios of medians and the runner's targets (printed, not asserted):\n\n");
    out.append("| measure | value | target | result |\n|---|---|---|---|\n");
    for (TargetVerdict verdict : targets) {
      out.append("| ")
          .append(verdict.measure())
          .append(" | ")
          .append(verdict.valueText())
          .append(" | ")
          .append(verdict.limitText())
          .append(" | ")
          .append(verdict.verdict())
          .append(" |\n");
    }
    return out.toString();
  }
}
