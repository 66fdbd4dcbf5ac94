package io.schemagate.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.http.OperatorHttpServer;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.testing.Await;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.observability.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's {@code /metrics} over HTTP while it reconciles against fabric8's mock API server:
 * runs counted by result and reason once their end is in status, not again after a restart; a run
 * in progress timed at scrape time; series gone with their resource; and a scrape that Prometheus'
 * own linter accepts.
 */
@EnableKubernetesMockClient(crud = true)
class MetricsEndpointTest {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  ClusterStandIn cluster;
  Operator operator;
  OperatorMetrics metrics;
  OperatorHttpServer server;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    stopOperator();
  }

  void startOperator() throws Exception {
    GateSignals gate =
        new GateSignals(new EventRecorder(client, Clock.systemUTC()), new GateCounters());
    metrics = new OperatorMetrics(Clock.systemUTC(), gate.counters());
    operator =
        SchemaGateOperator.builder(client, OperatorSettings.local())
            .metrics(metrics.reconciliations())
            .gate(gate)
            .migrationMetrics(metrics.migrations())
            .build();
    operator.start();
    server = OperatorHttpServer.start(0, () -> true, metrics::scrape, OperatorMetrics.CONTENT_TYPE);
  }

  void stopOperator() {
    if (server != null) {
      server.close();
    }
    if (operator != null) {
      operator.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void runsAreCountedOnceByResultAndReasonAndSeriesFollowTheirResources() throws Exception {
    client
        .secrets()
        .inNamespace(NS)
        .resource(Fixtures.credentials(NS, "orders-db", "app", "s3cret-never-shown"))
        .create();
    cluster =
        ClusterStandIn.start(
            client,
            new CannedPods(
                pod -> {
                  String name = pod.getMetadata().getLabels().get("schemagate.io/migration");
                  return switch (name) {
                    case "orders" -> Outcome.succeeded(Fixtures.succeeded("3", 3));
                    case "broken" ->
                        Outcome.failed(
                            1, Fixtures.failed("MigrationFailed", "V4__broken.sql line 1: boom"));
                    default -> Outcome.running();
                  };
                }),
            Duration.ofSeconds(1));
    startOperator();
    create("orders", "orders");
    create("broken", "broken");
    create("slow", "slow");
    awaitCondition("orders", "Ready");
    awaitCondition("broken", "Stalled");
    Scrape first =
        Await.until(
            "the slow run timed",
            WAIT,
            this::scrape,
            s -> s.value("schemagate_migration_running_seconds", ref("slow")).orElse(0) > 0);

    HttpResponse<String> response = get("/metrics");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue(OperatorMetrics.CONTENT_TYPE);
    assertThat(
            value(
                first,
                "schemagate_migration_runs_total",
                ref("orders"),
                "result",
                "succeeded",
                "reason",
                "AtHead"))
        .isEqualTo(1);
    assertThat(
            value(
                first,
                "schemagate_migration_runs_total",
                ref("broken"),
                "result",
                "failed",
                "reason",
                "MigrationFailed"))
        .isEqualTo(1);
    assertThat(first.all("schemagate_migration_runs_total", ref("slow"))).isEmpty();
    assertThat(value(first, "schemagate_migration_ready", ref("orders"))).isEqualTo(1);
    assertThat(value(first, "schemagate_migration_revision_info", ref("orders"), "revision", "3"))
        .isEqualTo(1);
    assertThat(
            value(
                first, "schemagate_migration_stalled", ref("broken"), "reason", "MigrationFailed"))
        .isEqualTo(1);
    assertThat(value(first, "schemagate_migration_stalled", ref("orders"), "reason", ""))
        .isEqualTo(0);
    assertThat(
            value(
                first,
                "schemagate_migration_duration_seconds_count",
                ref("orders"),
                "result",
                "succeeded"))
        .isEqualTo(1);
    assertThat(first.value("schemagate_migration_last_success_timestamp_seconds", ref("orders")))
        .isPresent();
    // JOSDK's meters, per controller, and the JVM's.
    assertThat(first.samples())
        .anyMatch(
            s ->
                s.name().startsWith("operator_sdk_")
                    && "schemamigration".equals(s.labels().get("controller")))
        .anyMatch(s -> s.name().equals("jvm_memory_used_bytes"))
        .noneMatch(
            s -> s.name().startsWith("operator_sdk_") && s.labels().containsKey("resource.name"));
    double slowBefore = value(first, "schemagate_migration_running_seconds", ref("slow"));
    Thread.sleep(1100);
    assertThat(value(scrape(), "schemagate_migration_running_seconds", ref("slow")))
        .isGreaterThan(slowBefore);
    promtoolAccepts(response.body());

    // A restart: the ended runs are in status already; the new process does not count them.
    stopOperator();
    startOperator();
    Scrape restarted =
        Await.until(
            "the restarted operator's view",
            WAIT,
            this::scrape,
            s -> s.value("schemagate_migration_ready", ref("orders")).orElse(0) == 1);
    assertThat(restarted.all("schemagate_migration_runs_total", Map.of())).isEmpty();

    // Deleted: its series go with it; the others stay.
    client.resources(SchemaMigration.class).inNamespace(NS).withName("orders").delete();
    Scrape after =
        Await.until(
            "orders' series gone",
            WAIT,
            this::scrape,
            s -> s.all("schemagate_migration_ready", ref("orders")).isEmpty());
    assertThat(after.samples()).noneMatch(s -> "orders".equals(s.labels().get("name")));
    assertThat(after.all("schemagate_migration_ready", ref("broken"))).hasSize(1);
  }

  void create(String name, String label) {
    SchemaMigration sm = Fixtures.migration(NS, "orders");
    sm.getMetadata().setName(name);
    // Each on a database of its own: one target per resource, no Conflict.
    sm.getSpec().getDatabase().setUrl("jdbc:postgresql://orders-db:5432/" + label);
    client.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  void awaitCondition(String name, String type) {
    Await.until(
        name + " " + type,
        WAIT,
        () -> client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get(),
        sm ->
            sm != null
                && sm.getStatus() != null
                && Conditions.isTrue(sm.getStatus().getConditions(), type));
  }

  static Map<String, String> ref(String name) {
    return Map.of("namespace", NS, "name", name);
  }

  static double value(Scrape s, String metric, Map<String, String> ref, String... kv) {
    return s.value(metric, MigrationMetricsTest.with(ref, kv))
        .orElseThrow(() -> new AssertionError("no " + metric + ref + " in\n" + s.text()));
  }

  Scrape scrape() {
    try {
      return Scrape.of(get("/metrics").body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** {@code promtool check metrics}, where Debian's prometheus package is installed. */
  static void promtoolAccepts(String scrape) throws Exception {
    assumeTrue(Promtool.available(), Promtool.MISSING);
    Promtool.Result r = Promtool.run(scrape, "check", "metrics");
    assertThat(r.exit()).as("promtool check metrics:%n%s", r.output()).isZero();
  }
}
