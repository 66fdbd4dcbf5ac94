package io.schemagate.sandbox;

import static io.schemagate.testkit.observability.GrafanaDashboard.panels;
import static io.schemagate.testkit.observability.GrafanaDashboard.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.http.OperatorHttpServer;
import io.schemagate.operator.metrics.OperatorMetrics;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.controlplane.ChildProcess;
import io.schemagate.testkit.observability.Promtool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} server; skipped where it is not installed, and
 * {@code .ci/run} installs it) scraping the operator of a sandbox every second, with the shipped
 * alert rules, while three SchemaMigrations run: {@code good} reaches revision 3, then rolls
 * forward to 7 (two successful runs); {@code broken} fails on bad SQL, is retried with {@code
 * schemagate.io/retry} and fails again (two failed runs, stalled {@code MigrationFailed}); {@code
 * slow} sleeps past its 30 s timeout (stalled {@code DeadlineExceeded}) and holds a Deployment
 * meanwhile. {@code good} and {@code broken} run twice so that {@code rate()} and {@code
 * increase()} see their counters move (a counter's first value is no increase to Prometheus). The
 * tests run in order: the first looks while the slow run runs, the others poll for the end state.
 *
 * <p>The rules are {@code operator/deploy/prometheus/schemagate-alerts.yaml} as shipped, except
 * that every {@code for} is shortened to {@value #FOR} so that the test does not wait the shipped
 * minute (or 30); expressions, labels and annotations are the shipped ones.
 *
 * <p>The dashboard's queries are run as Grafana would run them, with {@code $namespace} the test's
 * namespace (one selected) and then the variable's {@code allValue} (All selected), and {@code
 * $__rate_interval} and {@code $__range} both {@value #WINDOW}: a window that covers the whole
 * test, as for someone who opens the dashboard over the last few minutes once the test is done.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusEndToEndTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path RUNNER_JAR = Path.of("../migrations-image/target/schemagate-runner.jar");
  static final Path EXAMPLE = Path.of("../examples/bundle/sql");
  static final Path RULES = Path.of("../operator/deploy/prometheus/schemagate-alerts.yaml");
  static final Path DASHBOARD = Path.of("../operator/deploy/grafana/schemagate-dashboard.json");
  static final String FOR = "5s";
  static final String WINDOW = "5m";
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(90);
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  static SandboxCluster cluster;
  static KubernetesClient client;
  static OperatorHttpServer metrics;
  static ChildProcess prometheus;
  static String api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "no prometheus here (apt-get install prometheus; .ci/run installs it)");
    cluster =
        SandboxCluster.builder(RUNNER_JAR.toAbsolutePath())
            .gracePeriod(Duration.ofSeconds(2))
            .extraRunnerArgs("--connect-timeout", "2s")
            .bundle("good:3", goodBundle(3))
            .bundle("good:7", EXAMPLE)
            .bundle("broken:1", brokenBundle())
            .bundle("slow:1", slowBundle())
            .start();
    client = cluster.client();
    metrics =
        OperatorHttpServer.start(
            0, () -> true, cluster.metrics()::scrape, OperatorMetrics.CONTENT_TYPE);
    startPrometheus(metrics.port());

    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    client
        .secrets()
        .inNamespace(NS)
        .resource(Fixtures.credentials(NS, "db", "migrator", "s3cret"))
        .create();
    apply("good", "good:3", "15m");
    apply("broken", "broken:1", "15m");
    await("good", sm -> Settle.ready(sm) && "3".equals(sm.getStatus().getCurrentRevision()));
    await("broken", stalled("MigrationFailed"));
    // Prometheus sees each counter at 1 before it moves to 2, or increase() would miss the move.
    until(
        "Prometheus to see the first runs",
        () -> query("schemagate_migration_runs_total{namespace=\"shop\"} == 1"),
        r -> r.size() == 2);

    client
        .resources(SchemaMigration.class)
        .inNamespace(NS)
        .withName("good")
        .edit(
            sm -> {
              sm.getSpec().getBundle().setImage("good:7");
              return sm;
            });
    client
        .resources(SchemaMigration.class)
        .inNamespace(NS)
        .withName("broken")
        .edit(
            sm -> {
              sm.getMetadata().setAnnotations(Map.of(SchemaGateApi.RETRY_ANNOTATION, "1"));
              return sm;
            });
    await("good", sm -> Settle.ready(sm) && "7".equals(sm.getStatus().getCurrentRevision()));
    await("broken", stalled("MigrationFailed").and(sm -> sm.getStatus().getHistory().size() == 2));

    apply("slow", "slow:1", "30s");
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(Fixtures.app(NS, "reports", "slow", Map.of()))
        .create();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.stop(Duration.ofSeconds(20));
      }
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @Order(1)
  void theSlowRunIsSeenRunningAndWarnsPastFourFifthsOfItsTimeout() throws Exception {
    JsonNode running =
        until(
            "running seconds of slow above 0",
            () ->
                query("schemagate_migration_running_seconds{namespace=\"shop\",name=\"slow\"} > 0"),
            r -> r.size() == 1);
    assertThat(value(running.get(0))).isPositive();
    assertThat(value(single("schemagate_migration_timeout_seconds{name=\"slow\"}"))).isEqualTo(30);
    until(
        "the Deployment reports held while slow runs",
        () -> query("schemagate_gated_deployments{name=\"slow\"} == 1"),
        r -> r.size() == 1);
    assertThat(migration("slow").getStatus().getLastRun().getResult()).isEqualTo(RunResult.Running);

    JsonNode alert =
        until(
            "SchemaMigrationSlow firing for slow",
            () -> alerts("SchemaMigrationSlow", "firing"),
            a -> a.size() == 1);
    assertThat(labels(alert.get(0)))
        .isEqualTo(
            Map.of(
                "alertname", "SchemaMigrationSlow",
                "severity", "warning",
                "namespace", NS,
                "name", "slow"));
    assertThat(migration("slow").getStatus().getLastRun().getResult())
        .as("still running when the alert fires")
        .isEqualTo(RunResult.Running);
    assertThat(alert.get(0).path("annotations").path("description").asText())
        .contains("its timeout is 30s");
  }

  @Test
  @Order(2)
  void runsAreCountedByResultAndReason() throws Exception {
    Map<String, Double> expected =
        Map.of(
            "good succeeded AtHead", 2.0,
            "broken failed MigrationFailed", 2.0,
            "slow failed DeadlineExceeded", 1.0);
    until(
        "every run counted",
        () ->
            byLabels(
                query(
                    "sum by (name, result, reason) (schemagate_migration_runs_total{namespace=\"shop\"})"),
                "name",
                "result",
                "reason"),
        expected::equals);
  }

  @Test
  @Order(3)
  void durationsFormAHistogramThatPrometheusTakesPercentilesOf() throws Exception {
    until(
        "every run timed",
        () ->
            byLabels(
                query(
                    "sum by (name, result) (schemagate_migration_duration_seconds_count{namespace=\"shop\"})"),
                "name",
                "result"),
        Map.of("good succeeded", 2.0, "broken failed", 2.0, "slow failed", 1.0)::equals);
    double p90 =
        value(
            single(
                "histogram_quantile(0.9, sum by (le) (rate("
                    + "schemagate_migration_duration_seconds_bucket{namespace=\"shop\",name=\"good\"}["
                    + WINDOW
                    + "])))"));
    assertThat(p90).isFinite().isPositive();
    // Stopped at its 30 s deadline: in the bucket up to 60 s, not in the one up to 10 s.
    assertThat(
            byLabels(
                query(
                    "schemagate_migration_duration_seconds_bucket{name=\"slow\",le=~\"10.0|60.0\"}"),
                "le"))
        .isEqualTo(Map.of("10.0", 0.0, "60.0", 1.0));
  }

  @Test
  @Order(4)
  void readyStalledPendingAndRevisionAreWhatStatusSays() throws Exception {
    until(
        "slow stalled",
        () ->
            byLabels(
                query("schemagate_migration_stalled{namespace=\"shop\"} == 1"), "name", "reason"),
        Map.of("broken MigrationFailed", 1.0, "slow DeadlineExceeded", 1.0)::equals);
    assertThat(byLabels(query("schemagate_migration_ready{namespace=\"shop\"}"), "name"))
        .isEqualTo(Map.of("good", 1.0, "broken", 0.0, "slow", 0.0));
    assertThat(
            byLabels(
                query("schemagate_migration_stalled{namespace=\"shop\",name=\"good\"}"), "reason"))
        .isEqualTo(Map.of("", 0.0));
    assertThat(
            byLabels(
                query("schemagate_migration_revision_info{namespace=\"shop\"}"),
                "name",
                "revision"))
        .isEqualTo(Map.of("good 7", 1.0, "broken 2", 1.0, "slow 1", 1.0));
    assertThat(byLabels(query("schemagate_migration_pending{namespace=\"shop\"}"), "name"))
        .isEqualTo(Map.of("good", 0.0, "broken", 1.0, "slow", 1.0));
    Instant ended = Instant.parse(migration("good").getStatus().getLastRun().getCompletionTime());
    assertThat(value(single("schemagate_migration_last_success_timestamp_seconds{name=\"good\"}")))
        .isCloseTo(ended.toEpochMilli() / 1000.0, within(0.001));
  }

  @Test
  @Order(5)
  void theFailedAlertFiresForWhatStalledAndNothingFiresForTheGoodOne() throws Exception {
    JsonNode rules = api("/api/v1/rules?type=alert").path("data").path("groups");
    assertThat(rules.findValuesAsText("name"))
        .contains(
            "SchemaMigrationFailed",
            "SchemaMigrationSlow",
            "SchemaMigrationPendingTooLong",
            "DeploymentGatedTooLong");
    assertThat(rules.findValuesAsText("health")).containsOnly("ok");

    List<Map<String, String>> expected =
        List.of(
            Map.of(
                "alertname", "DeploymentGatedTooLong",
                "severity", "warning",
                "namespace", NS,
                "name", "slow"),
            Map.of(
                "alertname", "SchemaMigrationFailed",
                "severity", "critical",
                "namespace", NS,
                "name", "broken",
                "reason", "MigrationFailed"),
            Map.of(
                "alertname", "SchemaMigrationFailed",
                "severity", "critical",
                "namespace", NS,
                "name", "slow",
                "reason", "DeadlineExceeded"));
    JsonNode firing =
        until(
            "the failed and gated alerts firing",
            () -> alerts(null, "firing"),
            a -> sortedLabels(a).containsAll(expected));
    assertThat(sortedLabels(firing)).isEqualTo(expected);
    for (JsonNode a : firing) {
      if (labels(a).get("name").equals("broken")) {
        assertThat(a.path("annotations").path("description").asText())
            .contains("is stalled with reason MigrationFailed; its database is at revision 2.");
      }
    }
    assertThat(alerts(null, null))
        .as("no alert, firing or pending, for the good one")
        .noneMatch(a -> a.path("labels").path("name").asText().equals("good"));
  }

  @Test
  @Order(6)
  void promtoolAcceptsTheScrape() throws Exception {
    assumeTrue(Promtool.available(), Promtool.MISSING);
    String scrape = get("http://127.0.0.1:" + metrics.port() + "/metrics").body();
    assertThat(scrape).contains("schemagate_migration_runs_total{");
    Promtool.Result r = Promtool.run(scrape, "check", "metrics");
    assertThat(r.exit()).as("promtool check metrics:%n%s", r.output()).isZero();
  }

  /**
   * Every query of the dashboard, and its namespace variable's {@code label_values}, returns data
   * from this Prometheus: a non-empty result with at least one number (not NaN), with the test's
   * namespace selected and with All.
   */
  @Test
  @Order(7)
  void everyDashboardQueryReturnsData() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    String all = variable(dashboard, "namespace").path("allValue").asText();
    assertThat(all).isNotEmpty();
    List<String> failures = new ArrayList<>();
    int queries = 0;
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        for (String namespace : List.of(NS, all)) {
          String expr = grafana(target.path("expr").asText(), namespace);
          queries++;
          JsonNode result = query(expr);
          boolean number = false;
          for (JsonNode r : result) {
            number |= Double.isFinite(value(r));
          }
          if (!number) {
            failures.add(panel.path("title").asText() + ": " + expr + " -> " + result);
          }
        }
      }
    }
    assertThat(queries).isGreaterThanOrEqualTo(30);
    assertThat(failures).as("dashboard queries without data").isEmpty();

    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        String q = v.path("query").path("query").asText();
        var m = Pattern.compile("label_values\\((\\w+), *(\\w+)\\)").matcher(q);
        assertThat(m.matches()).as("a variable query this test knows: %s", q).isTrue();
        JsonNode values =
            api(
                "/api/v1/label/"
                    + m.group(2)
                    + "/values?match[]="
                    + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        values.path("data").forEach(n -> names.add(n.asText()));
        assertThat(names).as("$%s", v.path("name").asText()).contains(NS);
      }
    }
  }

  // --- the dashboard's template variables

  /**
   * A dashboard query with Grafana's variables replaced as the class javadoc says, {@code
   * $namespace} by {@code namespace}: one name, or the variable's value for All.
   */
  static String grafana(String expr, String namespace) {
    String q =
        expr.replace("$namespace", namespace)
            .replace("$__rate_interval", WINDOW)
            .replace("$__range", WINDOW);
    assertThat(q).as("a variable this test does not replace, in %s", expr).doesNotContain("$");
    return q;
  }

  // --- Prometheus

  /**
   * Starts Prometheus on a free loopback port, scraping {@code metricsPort} and evaluating the
   * shipped rules (their {@code for} shortened) every second, and waits until it is ready.
   */
  static void startPrometheus(int metricsPort) throws Exception {
    ObjectNode rules = (ObjectNode) YAML.readTree(RULES.toFile());
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("for")) {
          ((ObjectNode) rule).put("for", FOR);
        }
      }
    }
    Path prom = Files.createDirectories(dir.resolve("prometheus"));
    YAML.writeValue(prom.resolve("rules.yaml").toFile(), rules);
    Files.writeString(
        prom.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files: [rules.yaml]
        scrape_configs:
          - job_name: schemagate-operator
            honor_labels: true
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(metricsPort));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // Under testkit's guard: stopped with the JVM however it ends, so never left behind.
    prometheus =
        ChildProcess.start(
            "prometheus",
            prom.resolve("prometheus.log"),
            List.of(
                PROMETHEUS.toString(),
                "--config.file=" + prom.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + prom.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
    api = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      assertThat(prometheus.isAlive()).as("prometheus exited:%n%s", prometheus.tail(40)).isTrue();
      try {
        if (get(api + "/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(System.nanoTime())
          .as("prometheus ready within 30 s:%n%s", prometheus.tail(40))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A call of Prometheus' HTTP API that must succeed. */
  static JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = get(api + pathAndQuery);
    assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText()).as(r.body()).isEqualTo("success");
    return body;
  }

  /** An instant query's vector, now. */
  static JsonNode query(String promql) throws IOException, InterruptedException {
    JsonNode data =
        api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
            .path("data");
    assertThat(data.path("resultType").asText()).as(promql).isEqualTo("vector");
    return data.path("result");
  }

  /** The one sample a query returns. */
  static JsonNode single(String promql) throws IOException, InterruptedException {
    JsonNode r = query(promql);
    assertThat(r).as(promql).hasSize(1);
    return r.get(0);
  }

  static double value(JsonNode sample) {
    return Double.parseDouble(sample.path("value").get(1).asText());
  }

  /** A vector as a map from the named labels' values (joined by spaces) to the sample's value. */
  static Map<String, Double> byLabels(JsonNode vector, String... labels) {
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode s : vector) {
      List<String> key = new ArrayList<>();
      for (String l : labels) {
        key.add(s.path("metric").path(l).asText());
      }
      out.put(String.join(" ", key), value(s));
    }
    return out;
  }

  /** The active alerts, of one name and state when given (null: any). */
  static JsonNode alerts(String name, String state) throws IOException, InterruptedException {
    var out = JSON.createArrayNode();
    for (JsonNode a : api("/api/v1/alerts").path("data").path("alerts")) {
      if ((name == null || a.path("labels").path("alertname").asText().equals(name))
          && (state == null || a.path("state").asText().equals(state))) {
        out.add(a);
      }
    }
    return out;
  }

  static Map<String, String> labels(JsonNode alert) {
    Map<String, String> out = new TreeMap<>();
    alert.path("labels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** The alerts' label sets, ordered by alert name, then resource name. */
  static List<Map<String, String>> sortedLabels(JsonNode alerts) {
    List<Map<String, String>> out = new ArrayList<>();
    alerts.forEach(a -> out.add(labels(a)));
    out.sort(
        Comparator.comparing((Map<String, String> l) -> l.get("alertname"))
            .thenComparing(l -> l.get("name")));
    return out;
  }

  /** Polls {@code probe} until {@code done}, or fails after {@link #WAIT} with the last answer. */
  static <T> T until(String what, Probe<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }

  /** A look that may throw. */
  interface Probe<T> {
    T get() throws Exception;
  }

  // --- the sandbox

  /** A SchemaMigration on its own database, through the Secret db. */
  static void apply(String name, String image, String timeout) {
    SchemaMigration sm =
        Fixtures.migration(
            NS,
            name,
            m -> {
              m.getSpec().getDatabase().setUrl("jdbc:postgresql://db:5432/" + name);
              m.getSpec().getDatabase().getCredentialsSecret().setName("db");
              m.getSpec().getBundle().setImage(image);
              m.getSpec().setTimeout(timeout);
            });
    client.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  static SchemaMigration migration(String name) {
    return client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get();
  }

  static void await(String name, Predicate<SchemaMigration> done) throws Exception {
    until(name, () -> migration(name), sm -> sm != null && sm.getStatus() != null && done.test(sm));
  }

  static Predicate<SchemaMigration> stalled(String reason) {
    return sm -> {
      var c = Settle.condition(sm, "Stalled");
      return Settle.settled(sm)
          && c != null
          && "True".equals(c.getStatus())
          && reason.equals(c.getReason());
    };
  }

  /** The example bundle's first {@code head} versions, with their undo scripts. */
  static Path goodBundle(int head) throws IOException {
    Path out = Files.createDirectories(dir.resolve("good-" + head));
    for (int v = 1; v <= head; v++) {
      String prefix = v + "__";
      try (var files = Files.list(EXAMPLE)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (n.startsWith("V" + prefix) || n.startsWith("U" + prefix)) {
            Files.copy(f, out.resolve(n));
          }
        }
      }
    }
    return out;
  }

  /** Two good versions, then a statement that fails: stalled {@code MigrationFailed} at 2. */
  static Path brokenBundle() throws IOException {
    Path out = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(out.resolve("V1__create_a.sql"), "CREATE TABLE a (id BIGINT PRIMARY KEY);\n");
    Files.writeString(out.resolve("V2__create_b.sql"), "CREATE TABLE b (id BIGINT PRIMARY KEY);\n");
    Files.writeString(
        out.resolve("V3__broken.sql"), "INSERT INTO b SELECT id FROM no_such_table;\n");
    return out;
  }

  /** V2 sleeps for a minute: past a 30 s timeout, so the run ends {@code DeadlineExceeded}. */
  static Path slowBundle() throws IOException {
    Path out = Files.createDirectories(dir.resolve("slow"));
    Files.writeString(out.resolve("V1__create_a.sql"), "CREATE TABLE a (id BIGINT PRIMARY KEY);\n");
    Files.writeString(out.resolve("V2__slow.sql"), "SELECT pg_sleep(60);\n");
    return out;
  }
}
