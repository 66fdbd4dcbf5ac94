package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.EventRecorder;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.job.MigrationJobBuilder;
import io.schemagate.operator.job.RunCommand;
import io.schemagate.operator.job.RunRequest;
import io.schemagate.operator.status.Conditions;
import io.schemagate.operator.testing.CannedJobExecutor;
import io.schemagate.operator.testing.CannedJobExecutor.Outcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator alone under load: N SchemaMigrations created at once against fabric8's mock API
 * server, every Job completed by a canned executor with a success result (no runner, no database).
 * Reports the time until all are Ready, the reconcile latency (p50, p99, max) and the heap after
 * GC, with and without the operator. Prints ratios and numbers; asserts nothing.
 */
public final class OperatorBench {
  private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

  private static final String RESULT =
      "{\"command\":\"migrate\",\"status\":\"Succeeded\",\"currentRevision\":\"7\","
          + "\"headRevision\":\"7\",\"targetRevision\":\"7\",\"appliedCount\":7,\"pendingCount\":0,"
          + "\"durationMs\":812,\"applied\":[],\"pending\":[],\"future\":[],\"warnings\":[],"
          + "\"error\":null}";

  private OperatorBench() {}

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(Level.WARNING);
    int resources = 1000;
    int namespaces = 10;
    Path results = Path.of("bench/target/operator-bench-results.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--resources" -> resources = Integer.parseInt(args[++i]);
        case "--namespaces" -> namespaces = Integer.parseInt(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: OperatorBench [--resources N] [--namespaces K] [--results FILE]");
          System.exit(2);
        }
      }
    }
    String report = run(resources, namespaces, apiFloor(resources, namespaces));
    System.out.print(report);
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, report);
    System.err.println("bench: results written to " + results);
    System.exit(0);
  }

  /**
   * The baseline, in the same process: the API requests one successful run needs at the least
   * (create the resource, create its Job, the canned kubelet's pod and Job status writes, two
   * status writes, two Events), issued by 8 plain threads against a fresh mock server. The mock
   * server's cost per request grows with what it stores, so this is the floor any operator meets on
   * it; the operator's time is reported against it.
   */
  static long apiFloor(int resources, int namespaces) throws Exception {
    KubernetesMockServer server = mockServer();
    KubernetesClient client = server.createClient();
    secrets(client, namespaces);
    CannedJobExecutor kubelet =
        new CannedJobExecutor(client, job -> Outcome.succeeded(RESULT), false);
    EventRecorder events = new EventRecorder(client, Clock.systemUTC());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      SchemaMigration sm = resource(i, ns(i % namespaces));
      done.add(
          threads.submit(
              () -> {
                var r =
                    client
                        .resources(SchemaMigration.class)
                        .inNamespace(sm.getMetadata().getNamespace());
                SchemaMigration created = r.resource(sm).create();
                Job job =
                    client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(created.getMetadata().getNamespace())
                        .resource(
                            MigrationJobBuilder.build(
                                created, RunRequest.of(created, RunCommand.MIGRATE, 1)))
                        .create();
                events.normal(created, "MigrationStarted", "Job " + job.getMetadata().getName());
                created.setStatus(new SchemaMigrationStatus());
                created = r.resource(created).updateStatus();
                kubelet.complete(job);
                created.getStatus().setCurrentRevision("7");
                r.resource(created).updateStatus();
                events.normal(created, "MigrationSucceeded", "database at revision 7");
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    long floor = System.nanoTime() - start;
    threads.shutdown();
    client.close();
    server.destroy();
    return floor;
  }

  private static KubernetesMockServer mockServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new java.util.HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server;
  }

  private static void secrets(KubernetesClient client, int namespaces) {
    for (int n = 0; n < namespaces; n++) {
      client
          .secrets()
          .inNamespace(ns(n))
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .withNamespace(ns(n))
                  .endMetadata()
                  .withStringData(Map.of("username", "app", "password", "bench"))
                  .build())
          .create();
    }
  }

  static String run(int resources, int namespaces, long floorNanos) throws Exception {
    KubernetesMockServer server = mockServer();
    KubernetesClient client = server.createClient();
    secrets(client, namespaces);
    Latencies latencies = new Latencies();
    CannedJobExecutor executor = new CannedJobExecutor(client, job -> Outcome.succeeded(RESULT));
    Operator operator =
        SchemaGateOperator.create(client, OperatorSettings.local(), Clock.systemUTC(), latencies);
    operator.start();
    long heapIdle = heapAfterGc();

    List<SchemaMigration> items = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      items.add(resource(i, ns(i % namespaces)));
    }
    ExecutorService creators = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    for (SchemaMigration sm : items) {
      creators.submit(
          () ->
              client
                  .resources(SchemaMigration.class)
                  .inNamespace(sm.getMetadata().getNamespace())
                  .resource(sm)
                  .create());
    }
    creators.shutdown();
    creators.awaitTermination(5, TimeUnit.MINUTES);
    long created = System.nanoTime();
    int ready = 0;
    long deadline = start + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      ready =
          (int)
              client.resources(SchemaMigration.class).inAnyNamespace().list().getItems().stream()
                  .filter(OperatorBench::isReady)
                  .count();
      if (ready == resources) {
        break;
      }
      // A LIST costs the mock server time in proportion to what it stores: poll gently.
      Thread.sleep(1000);
    }
    long allReady = System.nanoTime();
    long heapLoaded = heapAfterGc();
    operator.stop();
    executor.close();
    long heapWithoutOperator = heapAfterGc();
    client.close();
    server.destroy();

    List<Long> lat = latencies.sorted();
    StringBuilder out = new StringBuilder();
    out.append("### Operator benchmark, ").append(Instant.now()).append("\n\n");
    out.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("; max heap ")
        .append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .append(" MiB\n");
    out.append("- ")
        .append(resources)
        .append(" SchemaMigrations in ")
        .append(namespaces)
        .append(" namespaces, created by 8 threads at once; every Job completed by a canned")
        .append(
            " executor with a success result; fabric8 mock API server (CRUD) in the same JVM\n");
    out.append("- load average at end: ").append(loadAverage()).append("\n\n");
    out.append("| measure | value | target |\n|---|---|---|\n");
    out.append(row("created (all POSTs answered)", seconds(created - start), ""));
    out.append(
        row(
            "all Ready",
            ready == resources
                ? seconds(allReady - start)
                : "not reached: " + ready + "/" + resources + " after " + seconds(allReady - start),
            "≤ 30 s"));
    out.append(
        row(
            "baseline: the same API requests from 8 plain threads, no operator (same process, fresh mock server)",
            seconds(floorNanos),
            ""));
    out.append(
        row(
            "all Ready / baseline",
            String.format(java.util.Locale.ROOT, "%.2f×", (allReady - start) / (double) floorNanos),
            ""));
    out.append(row("reconciliations", Integer.toString(lat.size()), ""));
    out.append(row("reconcile latency p50", millis(percentile(lat, 50)), ""));
    out.append(row("reconcile latency p99", millis(percentile(lat, 99)), "≤ 100 ms"));
    out.append(
        row("reconcile latency max", millis(lat.isEmpty() ? 0 : lat.get(lat.size() - 1)), ""));
    out.append(row("heap after GC, operator idle (before the load)", mib(heapIdle), ""));
    out.append(
        row("heap after GC, all Ready (operator + mock server + its store)", mib(heapLoaded), ""));
    out.append(
        row(
            "heap after GC, operator stopped (mock server + its store)",
            mib(heapWithoutOperator),
            ""));
    out.append(
        row(
            "operator's share (all Ready − operator stopped)",
            mib(heapLoaded - heapWithoutOperator),
            "≤ 256 MiB"));
    out.append('\n');
    return out.toString();
  }

  private static boolean isReady(SchemaMigration sm) {
    return sm.getStatus() != null
        && Conditions.isTrue(sm.getStatus().getConditions(), Conditions.READY);
  }

  private static SchemaMigration resource(int i, String ns) {
    SchemaMigration sm = new SchemaMigration();
    sm.getMetadata().setName("app-" + i);
    sm.getMetadata().setNamespace(ns);
    var spec = new io.schemagate.api.v1alpha1.SchemaMigrationSpec();
    var db = new io.schemagate.api.v1alpha1.DatabaseSpec();
    db.setUrl("jdbc:postgresql://db-" + i + ":5432/app");
    var secret = new io.schemagate.api.v1alpha1.CredentialsSecretRef();
    secret.setName("db");
    db.setCredentialsSecret(secret);
    spec.setDatabase(db);
    var bundle = new io.schemagate.api.v1alpha1.BundleSpec();
    bundle.setImage("registry.example.com/app-migrations:1.0." + i);
    spec.setBundle(bundle);
    sm.setSpec(spec);
    return sm;
  }

  private static String ns(int n) {
    return "team-" + n;
  }

  /** Times every reconciliation through JOSDK's metrics hook. */
  static final class Latencies implements Metrics {
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      long t0 = System.nanoTime();
      try {
        return execution.execute();
      } finally {
        nanos.add(System.nanoTime() - t0);
      }
    }

    List<Long> sorted() {
      synchronized (nanos) {
        List<Long> copy = new ArrayList<>(nanos);
        Collections.sort(copy);
        return copy;
      }
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static String row(String measure, String value, String target) {
    return "| " + measure + " | " + value + " | " + target + " |\n";
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
  }
}
