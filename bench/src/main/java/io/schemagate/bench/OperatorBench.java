package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.CommonPool;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.migration.job.MigrationJobBuilder;
import io.schemagate.operator.migration.job.RunRequest;
import io.schemagate.sandbox.cluster.MockApiServer;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator alone under load: N SchemaMigrations created at once against the sandbox's API
 * server, every Job's pod run by testkit's Job controller and kubelet stand-ins and ended with a
 * success result (no runner, no database). The operator runs in a process of its own ({@link
 * OperatorProcess}), as in a cluster. Reports the time until all are Ready, the operator's CPU
 * time, the reconcile latency (p50, p99, max) and the operator's heap after GC. Prints ratios and
 * numbers; asserts nothing.
 */
public final class OperatorBench {
  private static final String RESULT = Fixtures.succeeded("7", 7);

  private OperatorBench() {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureParallelism();
    int resources = 1000;
    int namespaces = 10;
    int threads = OperatorSettings.DEFAULT_RECONCILE_THREADS;
    // The operator's recommended JVM (docs/concepts.md): a 256 MiB heap, the serial collector the
    // JVM picks anyway in a small container, and the C1 compiler only, which halves the operator's
    // CPU in its first minute (most of it C2 compiling) at no cost to a process that mostly waits.
    String operatorJvm = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    Path results = Path.of("bench/target/operator-bench-results.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--resources" -> resources = Integer.parseInt(args[++i]);
        case "--namespaces" -> namespaces = Integer.parseInt(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--reconcile-threads" -> threads = Integer.parseInt(args[++i]);
        case "--operator-jvm" -> operatorJvm = args[++i];
        default -> {
          System.err.println(
              "usage: OperatorBench [--resources N] [--namespaces K] [--reconcile-threads T]"
                  + " [--operator-jvm 'JVM ARGS'] [--results FILE]");
          System.exit(2);
        }
      }
    }
    String report;
    try {
      report = run(resources, namespaces, threads, operatorJvm, apiFloor(resources, namespaces));
    } catch (Exception e) {
      // The API server's threads would keep the JVM alive.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.print(report);
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, report);
    System.err.println("bench: results written to " + results);
    System.exit(0);
  }

  /**
   * The baseline, in the same process: the API requests one successful run needs at the least
   * (create the resource, create its Job, two status writes, two Events), issued by 8 plain threads
   * against a fresh mock server, while the same Job controller and kubelet stand-ins as in the
   * operator's round run each Job's pod; it ends when every Job is complete. The mock server's cost
   * per request grows with what it stores, so this is the floor any operator meets on it; the
   * operator's time is reported against it.
   */
  static long apiFloor(int resources, int namespaces) throws Exception {
    KubernetesMockServer server = MockApiServer.start();
    KubernetesClient client = server.createClient();
    secrets(client, namespaces);
    KubernetesClient standInClient = server.createClient();
    CountDownLatch complete = new CountDownLatch(resources);
    Watch completions = countCompletions(standInClient, complete);
    ClusterStandIn standIn = standIn(standInClient);
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Runnable::run);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      SchemaMigration sm = resource("app-", i, ns(i % namespaces));
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
                created.getStatus().setCurrentRevision("7");
                r.resource(created).updateStatus();
                events.normal(created, "MigrationSucceeded", "database at revision 7");
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    if (!complete.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the stand-ins did not complete every Job");
    }
    long floor = System.nanoTime() - start;
    threads.shutdown();
    completions.close();
    standIn.close();
    standInClient.close();
    client.close();
    server.destroy();
    return floor;
  }

  /** The Job controller and the kubelet, every runner exiting 0 with {@link #RESULT}. */
  private static ClusterStandIn standIn(KubernetesClient client) {
    return ClusterStandIn.start(
        client, new CannedPods(pod -> Outcome.succeeded(RESULT)), Duration.ofSeconds(1));
  }

  /** Counts each Job down once, when it is first seen complete. */
  private static Watch countCompletions(KubernetesClient client, CountDownLatch complete) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    return client
        .batch()
        .v1()
        .jobs()
        .inAnyNamespace()
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Job job) {
                boolean done =
                    job.getStatus() != null
                        && job.getStatus().getSucceeded() != null
                        && job.getStatus().getSucceeded() > 0;
                if (done && seen.add(job.getMetadata().getUid())) {
                  complete.countDown();
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private static void secrets(KubernetesClient client, int namespaces) {
    for (int n = 0; n < namespaces; n++) {
      client
          .secrets()
          .inNamespace(ns(n))
          .resource(Fixtures.credentials(ns(n), "db", "app", "bench"))
          .create();
    }
  }

  /** What one round of N creations measured. */
  private record Round(
      long createdNanos,
      long allReadyNanos,
      int ready,
      long operatorCpuNanos,
      Map<String, Long> op) {}

  static String run(int resources, int namespaces, int threads, String operatorJvm, long floorNanos)
      throws Exception {
    KubernetesMockServer server = MockApiServer.start();
    // As in a cluster, the kubelet stand-in and the clients creating resources each have their own
    // connection to the API server, and the operator is a process of its own.
    KubernetesClient client = server.createClient();
    KubernetesClient kubeletClient = server.createClient();
    secrets(client, namespaces);
    ClusterStandIn executor = standIn(kubeletClient);
    OperatorChild operator = OperatorChild.start(server.url("/"), threads, operatorJvm);
    operator.report(); // the idle heap, before any load
    // Cold: the operator's first load after its start, while its JIT compiles. Warm: the same
    // load again (new resources beside the first ones), as an operator that has been running
    // meets a GitOps sync of many resources.
    Round cold = round(client, operator, resources, namespaces, "app-");
    Round warm = round(client, operator, resources, namespaces, "app2-");
    operator.exit();
    executor.close();
    kubeletClient.close();
    client.close();
    server.destroy();

    StringBuilder out = new StringBuilder();
    out.append("### Operator benchmark, ").append(Instant.now()).append("\n\n");
    out.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("\n");
    out.append("- each round: ")
        .append(resources)
        .append(" SchemaMigrations in ")
        .append(namespaces)
        .append(" namespaces, created by 8 threads at once; every Job's pod started by the Job")
        .append(" controller stand-in and ended by the kubelet stand-in with a success result; the")
        .append(
            " sandbox's API server (fabric8's mock server, CRUD, indexed) in the bench process\n");
    out.append("- operator: its own process (`")
        .append(operatorJvm)
        .append("`), ")
        .append(threads)
        .append(" reconcile threads; cold = its first round after start, warm = a second round\n");
    out.append("- load average at end: ").append(loadAverage()).append("\n\n");
    out.append("| measure | cold | warm | target |\n|---|---|---|---|\n");
    out.append(
        row2(
            "created (all POSTs answered)",
            seconds(cold.createdNanos()),
            seconds(warm.createdNanos()),
            ""));
    out.append(row2("all Ready", allReady(cold, resources), allReady(warm, resources), "≤ 30 s"));
    out.append(
        row2(
            "all Ready / baseline ("
                + seconds(floorNanos)
                + ": the same API requests from 8 plain threads, no operator, fresh API server)",
            ratio(cold.allReadyNanos(), floorNanos),
            ratio(warm.allReadyNanos(), floorNanos),
            ""));
    out.append(
        row2(
            "operator CPU time until all Ready",
            seconds(cold.operatorCpuNanos()),
            seconds(warm.operatorCpuNanos()),
            ""));
    out.append(
        row2(
            "reconciliations",
            Long.toString(cold.op().get("reconciliations")),
            Long.toString(warm.op().get("reconciliations")),
            ""));
    for (String p : List.of("p50", "p99", "max")) {
      out.append(
          row2(
              "reconcile latency " + p,
              millis(cold.op().get(p)),
              millis(warm.op().get(p)),
              p.equals("p99") ? "≤ 100 ms" : ""));
    }
    out.append(
        row2(
            "operator heap after GC, all Ready",
            mib(cold.op().get("heap")),
            mib(warm.op().get("heap")),
            "≤ 256 MiB"));
    out.append('\n');
    return out.toString();
  }

  /** Creates N SchemaMigrations at once and waits, through a watch, until all are Ready. */
  private static Round round(
      KubernetesClient client, OperatorChild operator, int resources, int namespaces, String prefix)
      throws Exception {
    List<SchemaMigration> items = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      items.add(resource(prefix, i, ns(i % namespaces)));
    }
    // `kubectl wait` would watch too: no polling load on the server.
    Set<String> readyNames = ConcurrentHashMap.newKeySet();
    CountDownLatch allReadySeen = new CountDownLatch(1);
    AtomicLong allReadyAt = new AtomicLong();
    Watch watch =
        client
            .resources(SchemaMigration.class)
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, SchemaMigration sm) {
                    if (sm.getMetadata().getName().startsWith(prefix)
                        && isReady(sm)
                        && readyNames.add(
                            sm.getMetadata().getNamespace() + "/" + sm.getMetadata().getName())
                        && readyNames.size() == resources) {
                      allReadyAt.set(System.nanoTime());
                      allReadySeen.countDown();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    long cpuBefore = operator.cpuNanos();
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
    boolean allSeen = allReadySeen.await(10, TimeUnit.MINUTES);
    long allReady = allSeen ? allReadyAt.get() : System.nanoTime();
    long operatorCpu = operator.cpuNanos() - cpuBefore;
    watch.close();
    return new Round(
        created - start, allReady - start, readyNames.size(), operatorCpu, operator.report());
  }

  private static String allReady(Round r, int resources) {
    return r.ready() == resources
        ? seconds(r.allReadyNanos())
        : "not reached: " + r.ready() + "/" + resources + " after " + seconds(r.allReadyNanos());
  }

  private static String ratio(long nanos, long floorNanos) {
    return String.format(java.util.Locale.ROOT, "%.2f×", nanos / (double) floorNanos);
  }

  private static String row2(String measure, String cold, String warm, String target) {
    return "| " + measure + " | " + cold + " | " + warm + " | " + target + " |\n";
  }

  /** The operator's process, seen from the bench. */
  private static final class OperatorChild {
    private final Process process;
    private final BufferedReader out;

    private OperatorChild(Process process) {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static OperatorChild start(String masterUrl, int threads, String jvm) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String a : jvm.trim().split("\\s+")) {
        if (!a.isEmpty()) {
          cmd.add(a);
        }
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              OperatorProcess.class.getName(),
              masterUrl,
              Integer.toString(threads)));
      Path log = Path.of("bench/target/operator-process.log");
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process p =
          new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
      OperatorChild child = new OperatorChild(p);
      String line;
      while ((line = child.out.readLine()) != null && !line.equals("started")) {
        System.err.println("operator: " + line); // e.g. the JVM's own notices
      }
      if (line == null) {
        p.destroyForcibly();
        throw new IllegalStateException("the operator process did not start; see " + log);
      }
      return child;
    }

    long cpuNanos() {
      return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    Map<String, Long> report() throws Exception {
      process.getOutputStream().write("report\n".getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      Map<String, Long> values = new java.util.HashMap<>();
      String line;
      while ((line = out.readLine()) != null && !line.equals("end")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
      }
      return values;
    }

    void exit() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static boolean isReady(SchemaMigration sm) {
    return sm.getStatus() != null
        && Conditions.isTrue(sm.getStatus().getConditions(), Conditions.READY);
  }

  private static SchemaMigration resource(String prefix, int i, String ns) {
    return Fixtures.migration(
        ns,
        prefix + i,
        sm -> {
          // One database each, all sharing one Secret per namespace.
          sm.getSpec().getDatabase().setUrl("jdbc:postgresql://" + prefix + i + ".db:5432/app");
          sm.getSpec().getDatabase().getCredentialsSecret().setName("db");
          sm.getSpec().getBundle().setImage("registry.example.com/app-migrations:1.0." + i);
        });
  }

  private static String ns(int n) {
    return "team-" + n;
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
