package io.schemagate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The gate benchmark's report: its settings, then one column per round, as markdown. */
final class GateReport {
  private GateReport() {}

  static String of(GateBench.Settings s, String cluster, List<GateBench.Round> rounds) {
    StringBuilder out = new StringBuilder();
    out.append("### Gate benchmark, ").append(Instant.now()).append("\n\n");
    out.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("; load average at end: ")
        .append(loadAverage())
        .append("\n");
    out.append("- each round: ")
        .append(s.migrations())
        .append(" SchemaMigrations in ")
        .append(s.namespaces())
        .append(" namespaces, created by 8 threads at once, each gating ")
        .append(s.deploymentsEach())
        .append(" Deployment(s) of ")
        .append(s.replicas())
        .append(" replica(s) created held beforehand (`spec.paused` and `schemagate.io/paused-by`,")
        .append(" as the webhook admits them), requiring revision ")
        .append(GateBench.REVISION)
        .append("; ")
        .append(cluster)
        .append("\n");
    out.append("- operator: its own process (`")
        .append(s.operatorJvm())
        .append("`), `SchemaGateOperator.create`, SSA off, ")
        .append(s.threads())
        .append(" reconcile threads; round 1 is its first load after start (cold)\n");
    out.append("- latencies: between two events seen by the bench's own watches, both timed with")
        .append(" its clock on arrival; \"Job succeeded\" = the first watch event of the Job with")
        .append(" `succeeded > 0` or `SuccessCriteriaMet=True` (what the operator acts on; the")
        .append(" Job's `Complete=True` comes later, and `completionTime` has 1 s resolution);")
        .append(" the probes: one plain paused Deployment per SchemaMigration, no replicas, not")
        .append(" gated, unpaused by the bench with one JSON patch from a 4-thread pool the moment")
        .append(" its Job is seen succeeded\n\n");
    out.append("| measure |");
    for (int r = 0; r < rounds.size(); r++) {
      out.append(" round ").append(r + 1).append(" |");
    }
    out.append(" target |\n|---|");
    out.append("---|".repeat(rounds.size())).append("---|\n");
    row(
        out,
        "gated Deployments released / created",
        rounds,
        x -> x.gate().size() + " / " + x.expected(),
        "");
    row(
        out,
        "SchemaMigrations created → last Deployment released",
        rounds,
        x -> seconds(x.spanNanos()),
        "");
    percentiles(
        out, "**Job succeeded → Deployment released**", rounds, GateBench.Round::gate, "≤ 1000 ms");
    row(
        out,
        "target p99 ≤ 1 s",
        rounds,
        x ->
            x.gate().isEmpty()
                ? "n/a"
                : GateBench.pct(x.gate(), 99) <= 1_000_000_000L ? "met" : "MISSED",
        "");
    percentiles(
        out,
        "baseline: Job succeeded → probe unpaused by the bench",
        rounds,
        GateBench.Round::baseline,
        "");
    row(out, "gate / baseline, p50", rounds, x -> ratio(x.gate(), x.baseline(), 50), "");
    row(out, "gate / baseline, p99", rounds, x -> ratio(x.gate(), x.baseline(), 99), "");
    percentiles(
        out,
        "of which Job succeeded → SchemaMigration Ready",
        rounds,
        GateBench.Round::succeededToReady,
        "");
    percentiles(
        out,
        "of which SchemaMigration Ready → Deployment released",
        rounds,
        GateBench.Round::readyToReleased,
        "");
    percentiles(
        out,
        "Job succeeded → Job `Complete=True` (the Job controller)",
        rounds,
        GateBench.Round::succeededToComplete,
        "");
    percentiles(
        out,
        "Job `Complete=True` → Deployment released",
        rounds,
        GateBench.Round::gateFromComplete,
        "");
    row(
        out,
        "operator reconciliations (both controllers)",
        rounds,
        x -> String.valueOf(x.operator().get("reconciliations")),
        "");
    row(
        out,
        "of which failed (an exception; JOSDK retries after 1 s) / retries",
        rounds,
        x -> x.operator().get("failed") + " / " + x.operator().get("retried"),
        "");
    row(
        out,
        "operator reconcile latency p50 / p99 / max",
        rounds,
        x ->
            millis(x.operator().get("p50"))
                + " / "
                + millis(x.operator().get("p99"))
                + " / "
                + millis(x.operator().get("max")),
        "");
    row(out, "operator CPU", rounds, x -> seconds(x.operator().get("cpu")), "");
    for (String name : rounds.get(0).load().cpuNanos().keySet()) {
      row(
          out,
          "CPU: " + name,
          rounds,
          x -> seconds(x.load().cpuNanos().getOrDefault(name, 0L)),
          "");
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    rounds.forEach(x -> keys.addAll(x.load().requests().keySet()));
    for (String key : keys) {
      if (key.startsWith("LIST ") || key.startsWith("WATCH ") || key.contains("#")) {
        continue;
      }
      if (rounds.stream().mapToLong(x -> x.load().requests().getOrDefault(key, 0L)).max().orElse(0)
              * 20
          < s.migrations()) {
        continue;
      }
      row(
          out,
          "requests per SchemaMigration: " + key,
          rounds,
          x ->
              String.format(
                  Locale.ROOT,
                  "%.2f",
                  x.load().requests().getOrDefault(key, 0L) / (double) s.migrations()),
          "");
    }
    out.append('\n');
    return out.toString();
  }

  /** p50, p90, p99 and max of one latency in one row. */
  private static void percentiles(
      StringBuilder out,
      String measure,
      List<GateBench.Round> rounds,
      java.util.function.Function<GateBench.Round, List<Long>> values,
      String target) {
    row(
        out,
        measure + ", p50 / p90 / p99 / max (n)",
        rounds,
        x -> {
          List<Long> v = values.apply(x);
          return v.isEmpty()
              ? "n/a"
              : millis(GateBench.pct(v, 50))
                  + " / "
                  + millis(GateBench.pct(v, 90))
                  + " / "
                  + millis(GateBench.pct(v, 99))
                  + " / "
                  + millis(GateBench.pct(v, 100))
                  + " ("
                  + v.size()
                  + ")";
        },
        target);
  }

  private interface Cell {
    String of(GateBench.Round r);
  }

  private static void row(
      StringBuilder out, String measure, List<GateBench.Round> rounds, Cell cell, String target) {
    out.append("| ").append(measure).append(" |");
    for (GateBench.Round r : rounds) {
      out.append(' ').append(cell.of(r)).append(" |");
    }
    out.append(' ').append(target).append(" |\n");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static String ratio(List<Long> a, List<Long> b, int p) {
    if (a.isEmpty() || b.isEmpty() || GateBench.pct(b, p) <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f×", GateBench.pct(a, p) / (double) GateBench.pct(b, p));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String millis(Long nanos) {
    return nanos == null ? "n/a" : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }
}
