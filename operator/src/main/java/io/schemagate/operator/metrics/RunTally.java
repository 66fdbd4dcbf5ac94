package io.schemagate.operator.metrics;

import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import java.util.Map;
import java.util.TreeMap;

/** The ended runs of one SchemaMigration: counts by result and reason, durations by result. */
final class RunTally {
  /** A counter's labels: {@code succeeded} or {@code failed}, and a reason label. */
  record Outcome(String result, String reason) implements Comparable<Outcome> {
    @Override
    public int compareTo(Outcome o) {
      int c = result.compareTo(o.result);
      return c != 0 ? c : reason.compareTo(o.reason);
    }
  }

  /** One histogram: per-bucket counts (the last one +Inf) and the sum. */
  record Histogram(double[] upperBounds, long[] counts, double sum) {}

  private final Map<Outcome, Long> counts = new TreeMap<>();
  private final Map<String, long[]> buckets = new TreeMap<>();
  private final Map<String, Double> sums = new TreeMap<>();

  synchronized void add(RunRecord run) {
    String result = run.getResult() == RunResult.Succeeded ? "succeeded" : "failed";
    counts.merge(new Outcome(result, MigrationMetrics.reasonLabel(run.getReason())), 1L, Long::sum);
    Double seconds = run.getDurationSeconds();
    if (seconds == null || seconds.isNaN() || seconds < 0) {
      // A run whose length is not known (its start was not recorded) is counted, not timed.
      return;
    }
    long[] b =
        buckets.computeIfAbsent(
            result, r -> new long[MigrationMetrics.DURATION_BUCKETS.length + 1]);
    int i = 0;
    while (i < MigrationMetrics.DURATION_BUCKETS.length
        && seconds > MigrationMetrics.DURATION_BUCKETS[i]) {
      i++;
    }
    b[i]++;
    sums.merge(result, seconds, Double::sum);
  }

  synchronized Map<Outcome, Long> counts() {
    return new TreeMap<>(counts);
  }

  synchronized Map<String, Histogram> histograms() {
    Map<String, Histogram> out = new TreeMap<>();
    double[] bounds = new double[MigrationMetrics.DURATION_BUCKETS.length + 1];
    System.arraycopy(
        MigrationMetrics.DURATION_BUCKETS, 0, bounds, 0, MigrationMetrics.DURATION_BUCKETS.length);
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    buckets.forEach(
        (result, b) -> out.put(result, new Histogram(bounds, b.clone(), sums.get(result))));
    return out;
  }
}
