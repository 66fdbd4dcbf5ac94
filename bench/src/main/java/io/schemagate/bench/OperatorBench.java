package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.CommonPool;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.migration.job.MigrationJobBuilder;
import io.schemagate.operator.migration.job.RunRequest;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
    Path results = null;
    String controlPlane = "mock";
    List<String> controllerManagerFlags = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--resources" -> resources = Integer.parseInt(args[++i]);
        case "--namespaces" -> namespaces = Integer.parseInt(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--reconcile-threads" -> threads = Integer.parseInt(args[++i]);
        case "--operator-jvm" -> operatorJvm = args[++i];
        case "--control-plane" -> controlPlane = args[++i];
        case "--controller-manager-flags" ->
            controllerManagerFlags =
                java.util.Arrays.stream(args[++i].trim().split("\\s+"))
                    .filter(a -> !a.isEmpty())
                    .toList();
        default -> {
          System.err.println(
              "usage: OperatorBench [--resources N] [--namespaces K] [--reconcile-threads T]"
                  + " [--operator-jvm 'JVM ARGS'] [--control-plane mock|real]"
                  + " [--controller-manager-flags 'FLAGS' (real)] [--results FILE]");
          System.exit(2);
        }
      }
    }
    if (!controlPlane.equals("mock") && !controlPlane.equals("real")) {
      System.err.println("--control-plane mock|real, not " + controlPlane);
      System.exit(2);
    }
    if (results == null) {
      results =
          Path.of(
              controlPlane.equals("mock")
                  ? "bench/target/operator-bench-results.md"
                  : "bench/target/operator-bench-results-" + controlPlane + ".md");
    }
    String report;
    try {
      BenchServer kind = new BenchServer(controlPlane, controllerManagerFlags);
      Floor floor = apiFloor(kind, resources, namespaces);
      report = run(kind, resources, namespaces, threads, operatorJvm, floor);
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
  /** The baseline's time and where it went. */
  record Floor(long nanos, Load load) {}

  /** Which API server each phase starts afresh. */
  record BenchServer(String kind, List<String> controllerManagerFlags) {
    BenchCluster start() throws java.io.IOException, InterruptedException {
      return BenchCluster.start(kind, controllerManagerFlags);
    }
  }

  static Floor apiFloor(BenchServer kind, int resources, int namespaces) throws Exception {
    BenchCluster server = kind.start();
    KubernetesClient client = server.newClient();
    secrets(server, client, namespaces);
    KubernetesClient standInClient = server.newClient();
    CountDownLatch complete = new CountDownLatch(resources);
    Watch completions = countCompletions(standInClient, complete);
    ClusterStandIn standIn = standIn(server, standInClient);
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Runnable::run);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    Load before = Load.now(server, null);
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
    Load load = Load.now(server, null).since(before);
    threads.shutdown();
    completions.close();
    standIn.close();
    standInClient.close();
    client.close();
    server.close();
    return new Floor(floor, load);
  }

  /** The Job controller and the kubelet, every runner exiting 0 with {@link #RESULT}. */
  private static ClusterStandIn standIn(BenchCluster server, KubernetesClient client) {
    return server.standIn(client, new CannedPods(pod -> Outcome.succeeded(RESULT)));
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

  private static void secrets(BenchCluster server, KubernetesClient client, int namespaces)
      throws InterruptedException {
    for (int n = 0; n < namespaces; n++) {
      server.prepareNamespace(client, ns(n));
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
      Map<String, Long> op,
      Load load) {}

  static String run(
      BenchServer kind, int resources, int namespaces, int threads, String operatorJvm, Floor floor)
      throws Exception {
    long floorNanos = floor.nanos();
    BenchCluster server = kind.start();
    // As in a cluster, the kubelet stand-in and the clients creating resources each have their own
    // connection to the API server, and the operator is a process of its own.
    KubernetesClient client = server.newClient();
    KubernetesClient kubeletClient = server.newClient();
    secrets(server, client, namespaces);
    ClusterStandIn executor = standIn(server, kubeletClient);
    OperatorChild operator = OperatorChild.start(server.operatorServer(), threads, operatorJvm);
    operator.report(); // the idle heap, before any load
    // Cold: the operator's first load after its start, while its JIT compiles. Warm: the same
    // load again (new resources beside the first ones), as an operator that has been running
    // meets a GitOps sync of many resources.
    Round cold = round(server, client, operator, resources, namespaces, "app-");
    Round warm = round(server, client, operator, resources, namespaces, "app2-");
    operator.exit();
    executor.close();
    kubeletClient.close();
    client.close();
    String serverDescription = server.describe();
    server.close();

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
        .append(" namespaces, created by 8 threads at once; ")
        .append(serverDescription)
        .append("\n");
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
                + ": the same API requests from 8 plain threads, no operator, fresh API server of"
                + " the same kind)",
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
    out.append(whereTheTimeWent(floor, cold, warm, resources));
    return out.toString();
  }

  /**
   * CPU time by process and, where the API server counts them, requests by verb and resource: the
   * baseline and both rounds side by side, per phase and per resource.
   */
  private static String whereTheTimeWent(Floor floor, Round cold, Round warm, int resources) {
    StringBuilder out = new StringBuilder();
    out.append("Where the time went (CPU time of each process over the phase; the machine has ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, shared with whatever else runs on it):\n\n");
    out.append("| CPU time | baseline | cold | warm |\n|---|---|---|---|\n");
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    names.addAll(floor.load().cpuNanos().keySet());
    names.addAll(cold.load().cpuNanos().keySet());
    for (String name : names) {
      out.append(
          row3(name, cpu(floor.load(), name), cpu(cold.load(), name), cpu(warm.load(), name)));
    }
    out.append(
        row3(
            "all of these",
            seconds(floor.load().totalCpuNanos()),
            seconds(cold.load().totalCpuNanos()),
            seconds(warm.load().totalCpuNanos())));
    out.append(
        row3(
            "wall time (until every Job complete / all Ready)",
            seconds(floor.nanos()),
            seconds(cold.allReadyNanos()),
            seconds(warm.allReadyNanos())));
    if (!cold.load().requests().isEmpty()) {
      out.append("\nAPI requests the API server counted (`apiserver_request_total`), per ")
          .append("SchemaMigration (LIST and WATCH are few and left out):\n\n");
      out.append("| verb resource | baseline | cold | warm |\n|---|---|---|---|\n");
      java.util.TreeSet<String> keys = new java.util.TreeSet<>();
      keys.addAll(floor.load().requests().keySet());
      keys.addAll(cold.load().requests().keySet());
      keys.addAll(warm.load().requests().keySet());
      long[] totals = new long[3];
      for (String key : keys) {
        if (key.startsWith("LIST ") || key.startsWith("WATCH ") || key.contains("#")) {
          continue;
        }
        long f = floor.load().requests().getOrDefault(key, 0L);
        long c = cold.load().requests().getOrDefault(key, 0L);
        long w = warm.load().requests().getOrDefault(key, 0L);
        totals[0] += f;
        totals[1] += c;
        totals[2] += w;
        if (Math.max(f, Math.max(c, w)) * 20 < resources) {
          continue; // under 0.05 per resource: start-up and housekeeping
        }
        out.append(row3(key, per(f, resources), per(c, resources), per(w, resources)));
      }
      out.append(
          row3(
              "all but LIST and WATCH",
              per(totals[0], resources),
              per(totals[1], resources),
              per(totals[2], resources)));
      out.append(
          row3(
              "requests per second",
              perSecond(totals[0], floor.nanos()),
              perSecond(totals[1], cold.allReadyNanos()),
              perSecond(totals[2], warm.allReadyNanos())));
      out.append("\nThe API server's own time for these requests")
          .append(" (`apiserver_request_duration_seconds`): mean, and the share over 100 ms:\n\n");
      out.append("| verb resource | baseline | cold | warm |\n|---|---|---|---|\n");
      for (String key :
          List.of(
              "POST schemamigrations",
              "POST jobs",
              "PUT schemamigrations/status",
              "POST events",
              "POST pods",
              "PUT jobs/status",
              "PUT pods/status")) {
        out.append(
            row3(
                key,
                latency(floor.load(), key),
                latency(cold.load(), key),
                latency(warm.load(), key)));
      }
    }
    out.append('\n');
    return out.toString();
  }

  private static String latency(Load load, String key) {
    long count = load.requests().getOrDefault(key, 0L);
    if (count == 0) {
      return "";
    }
    return String.format(
        java.util.Locale.ROOT,
        "%.1f ms, %.1f %%",
        load.requests().getOrDefault(key + BenchCluster.MICROS, 0L) / 1e3 / count,
        100.0 * load.requests().getOrDefault(key + BenchCluster.SLOW, 0L) / count);
  }

  private static String cpu(Load load, String name) {
    Long nanos = load.cpuNanos().get(name);
    return nanos == null ? "" : seconds(nanos);
  }

  private static String per(long count, int resources) {
    return String.format(java.util.Locale.ROOT, "%.2f", count / (double) resources);
  }

  private static String perSecond(long count, long nanos) {
    return String.format(java.util.Locale.ROOT, "%.0f", count / (nanos / 1e9));
  }

  private static String row3(String measure, String a, String b, String c) {
    return "| " + measure + " | " + a + " | " + b + " | " + c + " |\n";
  }

  /** Creates N SchemaMigrations at once and waits, through a watch, until all are Ready. */
  private static Round round(
      BenchCluster server,
      KubernetesClient client,
      OperatorChild operator,
      int resources,
      int namespaces,
      String prefix)
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
    Load before = Load.now(server, operator.handle());
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
    Load load = Load.now(server, operator.handle()).since(before);
    watch.close();
    return new Round(
        created - start, allReady - start, readyNames.size(), operatorCpu, operator.report(), load);
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
