package io.schemagate.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.testing.MovingClock;
import io.schemagate.testkit.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-SchemaMigration series, read from hand-made resources through a real scrape. */
class MigrationMetricsTest {
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  static final Map<String, String> ORDERS = Map.of("namespace", "shop", "name", "orders");

  final MovingClock clock = new MovingClock(T0);
  final OperatorMetrics metrics = new OperatorMetrics(clock, new GateCounters());
  final List<SchemaMigration> cache = new CopyOnWriteArrayList<>();

  {
    metrics.migrations().observe(cache::stream);
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  Scrape scrape() {
    return Scrape.of(metrics.scrape());
  }

  @Test
  void aRunIsCountedOnceWhenItsEndIsWrittenAndTimedInTheRightBucket() {
    SchemaMigration sm = Fixtures.migration("shop", "orders");
    cache.add(sm);
    SchemaMigrationStatus running = status(Phase.Running, run("orders-a", RunResult.Running, null));
    SchemaMigrationStatus done =
        status(Phase.Succeeded, run("orders-a", RunResult.Succeeded, "AtHead", 42.5));

    metrics.migrations().written(sm, null, running);
    assertThat(scrape().all("schemagate_migration_runs_total", ORDERS)).isEmpty();

    metrics.migrations().written(sm, running, done);
    // The same status written again (another condition moved) ends nothing new.
    metrics.migrations().written(sm, done, done);

    Scrape s = scrape();
    assertThat(
            s.value(
                "schemagate_migration_runs_total",
                with(ORDERS, "result", "succeeded", "reason", "AtHead")))
        .hasValue(1);
    assertThat(s.all("schemagate_migration_runs_total", ORDERS)).hasSize(1);
    var succeeded = with(ORDERS, "result", "succeeded");
    assertThat(
            s.value("schemagate_migration_duration_seconds_bucket", with(succeeded, "le", "30.0")))
        .hasValue(0);
    assertThat(
            s.value("schemagate_migration_duration_seconds_bucket", with(succeeded, "le", "60.0")))
        .hasValue(1);
    assertThat(
            s.value("schemagate_migration_duration_seconds_bucket", with(succeeded, "le", "+Inf")))
        .hasValue(1);
    assertThat(s.value("schemagate_migration_duration_seconds_count", succeeded)).hasValue(1);
    assertThat(s.value("schemagate_migration_duration_seconds_sum", succeeded)).hasValue(42.5);
  }

  @Test
  void aRunThatEndsAndTheNextThatStartsInOneWriteAreBothSeen() {
    SchemaMigration sm = Fixtures.migration("shop", "orders");
    cache.add(sm);
    SchemaMigrationStatus before = status(Phase.Running, run("orders-a", RunResult.Running, null));
    SchemaMigrationStatus after = status(Phase.Running, run("orders-b", RunResult.Running, null));
    after.getHistory().add(run("orders-a", RunResult.Failed, "DatabaseUnreachable", 3.0));

    metrics.migrations().written(sm, before, after);

    assertThat(
            scrape()
                .value(
                    "schemagate_migration_runs_total",
                    with(ORDERS, "result", "failed", "reason", "DatabaseUnreachable")))
        .hasValue(1);
    assertThat(MigrationMetrics.newlyEnded(after, after)).isEmpty();
  }

  @Test
  void gaugesAreReadFromTheResourcesAtScrapeTime() {
    SchemaMigration sm = Fixtures.migration("shop", "orders");
    SchemaMigrationStatus s = status(Phase.Running, run("orders-b", RunResult.Running, null));
    s.getLastRun().setStartTime(T0.toString());
    s.getHistory().add(run("orders-a", RunResult.Succeeded, "AtHead", 2.0));
    s.getHistory().get(1).setCompletionTime("2026-12-06T09:00:00Z");
    s.setCurrentRevision("1.10");
    s.setPendingMigrations(new ArrayList<>(List.of("1.11", "1.12")));
    s.setGatedDeployments(new ArrayList<>(List.of("orders-api")));
    s.setConditions(List.of(condition("Ready", "False", "Migrating")));
    sm.setStatus(s);
    sm.getSpec().setTimeout("20m");
    cache.add(sm);

    clock.advance(Duration.ofSeconds(95));
    Scrape first = scrape();
    assertThat(first.value("schemagate_migration_running_seconds", ORDERS)).hasValue(95);
    assertThat(first.value("schemagate_migration_timeout_seconds", ORDERS)).hasValue(1200);
    assertThat(first.value("schemagate_migration_ready", ORDERS)).hasValue(0);
    assertThat(first.value("schemagate_migration_stalled", with(ORDERS, "reason", ""))).hasValue(0);
    assertThat(first.value("schemagate_migration_pending", ORDERS)).hasValue(2);
    assertThat(first.value("schemagate_migration_revision_info", with(ORDERS, "revision", "1.10")))
        .hasValue(1);
    assertThat(first.value("schemagate_migration_last_success_timestamp_seconds", ORDERS))
        .hasValue(Instant.parse("2026-12-06T09:00:00Z").getEpochSecond());
    assertThat(first.value("schemagate_gated_deployments", ORDERS)).hasValue(1);

    // Nothing changed in the resource; the run is older at the next scrape.
    clock.advance(Duration.ofSeconds(60));
    assertThat(scrape().value("schemagate_migration_running_seconds", ORDERS)).hasValue(155);

    // It failed for good: idle, stalled with its reason.
    s.getLastRun().setResult(RunResult.Failed);
    s.setConditions(
        List.of(
            condition("Ready", "False", "MigrationFailed"),
            condition("Stalled", "True", "MigrationFailed")));
    Scrape stalled = scrape();
    assertThat(stalled.value("schemagate_migration_running_seconds", ORDERS)).hasValue(0);
    assertThat(stalled.all("schemagate_migration_stalled", ORDERS)).hasSize(1);
    assertThat(
            stalled.value(
                "schemagate_migration_stalled", with(ORDERS, "reason", "MigrationFailed")))
        .hasValue(1);
  }

  @Test
  void seriesDisappearWithTheirResource() {
    SchemaMigration sm = Fixtures.migration("shop", "orders");
    cache.add(sm);
    SchemaMigrationStatus done =
        status(Phase.Succeeded, run("orders-a", RunResult.Succeeded, "AtHead", 1.0));
    metrics.migrations().written(sm, null, done);
    assertThat(scrape().all("schemagate_migration_ready", ORDERS)).hasSize(1);
    assertThat(scrape().all("schemagate_migration_runs_total", ORDERS)).hasSize(1);

    cache.clear();

    Scrape s = scrape();
    assertThat(s.samples()).noneMatch(x -> "orders".equals(x.labels().get("name")));
    // Created again under the same name, it starts from nothing.
    cache.add(Fixtures.migration("shop", "orders"));
    assertThat(scrape().all("schemagate_migration_runs_total", ORDERS)).isEmpty();
  }

  @Test
  void labelsTakeNoFreeText() {
    SchemaMigration sm = Fixtures.migration("shop", "orders");
    cache.add(sm);
    SchemaMigrationStatus done =
        status(Phase.Failed, run("orders-a", RunResult.Failed, "no such reason: ERROR at x", 1.0));
    done.setConditions(List.of(condition("Stalled", "True", "Something the API server holds")));
    sm.setStatus(done);
    metrics.migrations().written(sm, null, done);

    Scrape s = scrape();
    assertThat(s.value("schemagate_migration_runs_total", with(ORDERS, "reason", "Other")))
        .hasValue(1);
    assertThat(s.value("schemagate_migration_stalled", with(ORDERS, "reason", "Other")))
        .hasValue(1);
  }

  @Test
  void aStandbyReplicaExportsNoSeriesOfResources() {
    // Its controller's cache is not running; reading it fails or is empty.
    metrics
        .migrations()
        .observe(
            () -> {
              throw new IllegalStateException("not started");
            });
    assertThat(scrape().samples()).noneMatch(x -> x.name().startsWith("schemagate_"));
    assertThat(scrape().text()).contains("jvm_memory_used_bytes");
  }

  @Test
  void aReplicaThatDoesNotLeadExportsNoSeriesOfResourcesThoughItsCacheIsFull() {
    cache.add(Fixtures.migration("shop", "orders"));
    metrics.migrations().leading(false);
    assertThat(scrape().all("schemagate_migration_ready", ORDERS)).isEmpty();
    metrics.migrations().leading(true);
    assertThat(scrape().all("schemagate_migration_ready", ORDERS)).hasSize(1);
  }

  @Test
  void bypassesAreCountedForResourcesThatExist() {
    GateCounters counters = new GateCounters();
    try (OperatorMetrics m = new OperatorMetrics(clock, counters)) {
      m.migrations().observe(cache::stream);
      cache.add(Fixtures.migration("shop", "orders"));
      io.schemagate.operator.gate.GateCountersAccess.bypass(counters, "shop", "orders");
      io.schemagate.operator.gate.GateCountersAccess.bypass(counters, "shop", "orders");
      io.schemagate.operator.gate.GateCountersAccess.bypass(counters, "shop", "gone");
      Scrape s = Scrape.of(m.scrape());
      assertThat(s.value("schemagate_gate_bypassed_total", ORDERS)).hasValue(2);
      assertThat(s.all("schemagate_gate_bypassed_total", Map.of("name", "gone"))).isEmpty();
      m.migrations().alsoKnown((ns, name) -> name.equals("gone"));
      assertThat(
              Scrape.of(m.scrape()).value("schemagate_gate_bypassed_total", Map.of("name", "gone")))
          .hasValue(1);
    }
  }

  static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static SchemaMigrationStatus status(Phase phase, RunRecord last) {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    s.setPhase(phase);
    s.setLastRun(last);
    s.setHistory(new ArrayList<>(List.of(last)));
    return s;
  }

  static RunRecord run(String job, RunResult result, String reason) {
    RunRecord r = new RunRecord();
    r.setJobName(job);
    r.setAttempt(1);
    r.setCommand(RunCommand.MIGRATE);
    r.setStartTime(T0.toString());
    r.setResult(result);
    r.setReason(reason == null ? "Migrating" : reason);
    return r;
  }

  static RunRecord run(String job, RunResult result, String reason, double seconds) {
    RunRecord r = run(job, result, reason);
    r.setDurationSeconds(seconds);
    r.setCompletionTime(T0.plusSeconds((long) seconds).toString());
    return r;
  }

  static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("")
        .build();
  }
}
