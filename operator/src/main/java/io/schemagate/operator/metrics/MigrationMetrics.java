package io.schemagate.operator.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.schemagate.api.v1alpha1.Durations;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.kube.Conditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The per-SchemaMigration series of the metric table in DESIGN.md, as a collector of Prometheus'
 * registry.
 *
 * <ul>
 *   <li>The gauges are read at scrape time from the SchemaMigrations in the operator's cache, which
 *       is the API server's view: nothing is remembered here, so a series disappears with its
 *       resource, and {@code schemagate_migration_running_seconds} is the age of the run in
 *       progress <em>now</em>. The cache is the migration controller's, which JOSDK fills on every
 *       replica; only the leader exports from it ({@link #leading}).
 *   <li>The runs are counted when a status write that records their end has been accepted ({@link
 *       #written}): once, from what was written, and never again after a restart, since a new
 *       process finds the end already written. Their counts are dropped when the resource is gone.
 *   <li>Every label value is a name, a namespace, a revision or a constant from a closed set
 *       (result, {@link Reason}): no free text.
 * </ul>
 */
public final class MigrationMetrics implements MultiCollector {
  /** The duration histogram's upper bounds, 1 s to 1 h (DESIGN.md). */
  static final double[] DURATION_BUCKETS = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

  /**
   * The reason label of a reason that is not one of ours (never expected; keeps labels bounded).
   */
  static final String OTHER_REASON = "Other";

  private final Clock clock;
  private final GateCounters gate;
  private final Map<Ref, RunTally> runs = new ConcurrentHashMap<>();
  private volatile Supplier<Stream<SchemaMigration>> resources = Stream::empty;
  private volatile boolean leading = true;
  private volatile BiPredicate<String, String> knownElsewhere = (namespace, name) -> false;

  public MigrationMetrics(Clock clock, GateCounters gate) {
    this.clock = clock;
    this.gate = gate;
  }

  /** A SchemaMigration, by namespace and name. */
  record Ref(String namespace, String name) implements Comparable<Ref> {
    static Ref of(SchemaMigration sm) {
      return new Ref(sm.getMetadata().getNamespace(), sm.getMetadata().getName());
    }

    Labels labels() {
      return Labels.of("namespace", namespace, "name", name);
    }

    @Override
    public int compareTo(Ref o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }
  }

  /** Where the SchemaMigrations are read from at each scrape: the migration controller's cache. */
  public void observe(Supplier<Stream<SchemaMigration>> resources) {
    this.resources = resources;
  }

  /**
   * Whether this replica leads (with leader election: from its Lease callbacks; without: always).
   * JOSDK fills every replica's caches, so a standby's would otherwise be exported too.
   */
  public void leading(boolean leading) {
    this.leading = leading;
  }

  /**
   * What else says a SchemaMigration exists (the webhook's own cache, on every replica), so that
   * the gate's bypasses a standby replica's webhook admitted are exported by that replica too.
   */
  public void alsoKnown(BiPredicate<String, String> known) {
    this.knownElsewhere = known;
  }

  /**
   * A status write was accepted: each run that {@code after} records as ended and {@code before}
   * did not is counted, with its result, reason and duration as written.
   */
  public void written(
      SchemaMigration sm, SchemaMigrationStatus before, SchemaMigrationStatus after) {
    List<RunRecord> ended = newlyEnded(before, after);
    if (ended.isEmpty()) {
      return;
    }
    RunTally tally = runs.computeIfAbsent(Ref.of(sm), r -> new RunTally());
    for (RunRecord run : ended) {
      tally.add(run);
    }
  }

  /** The runs {@code after} records as ended that {@code before} did not, each once. */
  static List<RunRecord> newlyEnded(SchemaMigrationStatus before, SchemaMigrationStatus after) {
    Set<String> endedBefore = new HashSet<>();
    for (RunRecord r : runsOf(before)) {
      if (ended(r)) {
        endedBefore.add(r.getJobName());
      }
    }
    Map<String, RunRecord> out = new LinkedHashMap<>();
    for (RunRecord r : runsOf(after)) {
      if (ended(r) && !endedBefore.contains(r.getJobName())) {
        out.putIfAbsent(r.getJobName(), r);
      }
    }
    return List.copyOf(out.values());
  }

  private static boolean ended(RunRecord r) {
    return r.getJobName() != null
        && (r.getResult() == RunResult.Succeeded || r.getResult() == RunResult.Failed);
  }

  private static List<RunRecord> runsOf(SchemaMigrationStatus s) {
    List<RunRecord> all = new ArrayList<>();
    if (s == null) {
      return all;
    }
    if (s.getLastRun() != null) {
      all.add(s.getLastRun());
    }
    if (s.getHistory() != null) {
      all.addAll(s.getHistory());
    }
    return all;
  }

  /** A reason as a label value: one of {@link Reason}'s names, or {@value #OTHER_REASON}. */
  static String reasonLabel(String reason) {
    if (reason == null || reason.isEmpty()) {
      return "";
    }
    Reason r = Reason.parse(reason);
    return r == null ? OTHER_REASON : r.name();
  }

  @Override
  public MetricSnapshots collect() {
    Map<Ref, SchemaMigration> present = new TreeMap<>();
    if (leading) {
      try {
        resources.get().forEach(sm -> present.put(Ref.of(sm), sm));
      } catch (RuntimeException notStarted) {
        // A cache that is not running (a stopping operator) has nothing to say.
      }
      runs.keySet().removeIf(ref -> !present.containsKey(ref));
    }
    Instant now = clock.instant();

    GaugeSnapshot.Builder ready = gauge("schemagate_migration_ready", "1 when Ready=True");
    GaugeSnapshot.Builder stalled =
        gauge(
            "schemagate_migration_stalled",
            "1 when Stalled=True (reason: its reason), else 0 with an empty reason");
    GaugeSnapshot.Builder pending =
        gauge(
            "schemagate_migration_pending",
            "Migrations of the bundle not applied yet, as the last run read them (at most 100)");
    GaugeSnapshot.Builder revision =
        gauge("schemagate_migration_revision_info", "The revision the database is at (value 1)");
    GaugeSnapshot.Builder lastSuccess =
        gauge(
            "schemagate_migration_last_success_timestamp_seconds",
            "When the last successful run ended, in Unix seconds");
    lastSuccess.unit(Unit.SECONDS);
    GaugeSnapshot.Builder running =
        gauge(
            "schemagate_migration_running_seconds",
            "How long the run in progress has been running, at scrape time; 0 when idle");
    running.unit(Unit.SECONDS);
    GaugeSnapshot.Builder timeout =
        gauge("schemagate_migration_timeout_seconds", "spec.timeout: the deadline of each run");
    timeout.unit(Unit.SECONDS);
    GaugeSnapshot.Builder gated =
        gauge(
            "schemagate_gated_deployments",
            "Deployments this SchemaMigration holds paused (status.gatedDeployments)");

    for (Map.Entry<Ref, SchemaMigration> e : present.entrySet()) {
      Labels labels = e.getKey().labels();
      SchemaMigration sm = e.getValue();
      SchemaMigrationStatus s = sm.getStatus();
      var conditions = s == null ? null : s.getConditions();
      ready.dataPoint(point(labels, Conditions.isTrue(conditions, Conditions.READY) ? 1 : 0));
      var stall = conditions == null ? null : Conditions.find(conditions, Conditions.STALLED);
      boolean isStalled = stall != null && "True".equals(stall.getStatus());
      stalled.dataPoint(
          point(
              labels.add("reason", isStalled ? reasonLabel(stall.getReason()) : ""),
              isStalled ? 1 : 0));
      pending.dataPoint(
          point(
              labels,
              s == null || s.getPendingMigrations() == null ? 0 : s.getPendingMigrations().size()));
      if (s != null && s.getCurrentRevision() != null && !s.getCurrentRevision().isEmpty()) {
        revision.dataPoint(point(labels.add("revision", s.getCurrentRevision()), 1));
      }
      Instant success = lastSuccess(s);
      if (success != null) {
        lastSuccess.dataPoint(point(labels, success.toEpochMilli() / 1000.0));
      }
      running.dataPoint(point(labels, runningSeconds(s, now)));
      Double deadline = timeoutSeconds(sm);
      if (deadline != null) {
        timeout.dataPoint(point(labels, deadline));
      }
      gated.dataPoint(
          point(
              labels,
              s == null || s.getGatedDeployments() == null ? 0 : s.getGatedDeployments().size()));
    }

    List<MetricSnapshot> out = new ArrayList<>();
    out.add(runsTotal());
    out.add(durations());
    out.add(pending.build());
    out.add(ready.build());
    out.add(stalled.build());
    out.add(revision.build());
    out.add(lastSuccess.build());
    out.add(running.build());
    out.add(timeout.build());
    out.add(gated.build());
    out.add(bypassed(present.keySet()));
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(
        "schemagate_migration_runs",
        "schemagate_migration_duration_seconds",
        "schemagate_migration_pending",
        "schemagate_migration_ready",
        "schemagate_migration_stalled",
        "schemagate_migration_revision_info",
        "schemagate_migration_last_success_timestamp_seconds",
        "schemagate_migration_running_seconds",
        "schemagate_migration_timeout_seconds",
        "schemagate_gated_deployments",
        "schemagate_gate_bypassed");
  }

  private CounterSnapshot runsTotal() {
    CounterSnapshot.Builder b =
        CounterSnapshot.builder()
            .name("schemagate_migration_runs")
            .help("Runs whose end was written to status, by result and reason");
    new TreeMap<>(runs)
        .forEach(
            (ref, tally) ->
                tally.counts().forEach((key, n) -> b.dataPoint(counter(ref.labels(), key, n))));
    return b.build();
  }

  private static CounterSnapshot.CounterDataPointSnapshot counter(
      Labels labels, RunTally.Outcome key, long n) {
    return CounterSnapshot.CounterDataPointSnapshot.builder()
        .labels(labels.add("result", key.result()).add("reason", key.reason()))
        .value(n)
        .build();
  }

  private HistogramSnapshot durations() {
    HistogramSnapshot.Builder b =
        HistogramSnapshot.builder()
            .name("schemagate_migration_duration_seconds")
            .help("How long the runs whose end was written to status took, by result")
            .unit(Unit.SECONDS);
    new TreeMap<>(runs)
        .forEach(
            (ref, tally) ->
                tally
                    .histograms()
                    .forEach(
                        (result, h) ->
                            b.dataPoint(
                                HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                    .labels(ref.labels().add("result", result))
                                    .classicHistogramBuckets(
                                        ClassicHistogramBuckets.of(h.upperBounds(), h.counts()))
                                    .sum(h.sum())
                                    .build())));
    return b.build();
  }

  private CounterSnapshot bypassed(Set<Ref> present) {
    CounterSnapshot.Builder b =
        CounterSnapshot.builder()
            .name("schemagate_gate_bypassed")
            .help("Deployments schemagate.io/bypass let through a shut gate, by this replica");
    BiPredicate<String, String> elsewhere = knownElsewhere;
    gate.snapshot()
        .forEach(
            (key, n) -> {
              Ref ref = new Ref(key.namespace(), key.migration());
              if (key.kind() == GateCounters.Kind.BYPASSED
                  && (present.contains(ref) || elsewhere.test(ref.namespace(), ref.name()))) {
                b.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(ref.labels())
                        .value(n)
                        .build());
              }
            });
    return b.build();
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  /** The end of the newest successful run status records, or null. */
  static Instant lastSuccess(SchemaMigrationStatus s) {
    Instant newest = null;
    for (RunRecord r : runsOf(s)) {
      if (r.getResult() == RunResult.Succeeded) {
        Instant t = instant(r.getCompletionTime());
        if (t != null && (newest == null || t.isAfter(newest))) {
          newest = t;
        }
      }
    }
    return newest;
  }

  /** The age of the run in progress at {@code now}; 0 when none runs. */
  static double runningSeconds(SchemaMigrationStatus s, Instant now) {
    RunRecord last = s == null ? null : s.getLastRun();
    if (last == null || last.getResult() != RunResult.Running) {
      return 0;
    }
    Instant started = instant(last.getStartTime());
    if (started == null || started.isAfter(now)) {
      return 0;
    }
    return Duration.between(started, now).toMillis() / 1000.0;
  }

  private static Double timeoutSeconds(SchemaMigration sm) {
    String text = sm.getSpec() == null ? null : sm.getSpec().getTimeout();
    if (text == null || !Durations.isValid(text)) {
      return null;
    }
    return Durations.parse(text).toMillis() / 1000.0;
  }

  private static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
