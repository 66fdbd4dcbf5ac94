package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.CommonPool;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.cluster.PodRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gate's release latency on a real control plane: from the moment a migration Job is seen
 * succeeded to the moment a Deployment it held is seen running again, both seen by this process's
 * own watches. N SchemaMigrations, each with D gated Deployments created held before it exists (as
 * the webhook admits them); Kubernetes' Job, Deployment and ReplicaSet controllers, testkit's
 * kubelet stand-in as the node, every runner ending at once with a success result; the operator in
 * a process of its own, as in production. The baseline, in the same process and the same rounds:
 * one plain paused Deployment per SchemaMigration ("probe", not gated), unpaused by this process
 * with one patch the moment its Job is seen succeeded, and seen running by the same watch — the
 * floor of the API server and watch path. Prints percentiles and ratios; asserts nothing.
 */
public final class GateBench {
  static final String REVISION = "7";
  private static final String RESULT = Fixtures.succeeded(REVISION, 7);
  private static final String UNPAUSE =
      "[{\"op\":\"replace\",\"path\":\"/spec/paused\",\"value\":false}]";

  private GateBench() {}

  /** The settings of one run. */
  record Settings(
      int migrations,
      int deploymentsEach,
      int namespaces,
      int replicas,
      int rounds,
      int threads,
      String operatorJvm,
      List<String> controllerManagerFlags,
      Path results,
      Path trace) {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureParallelism();
    Settings s;
    try {
      s = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String report;
    try {
      if (s.trace() != null) {
        Files.createDirectories(s.trace());
      }
      report = run(s);
      if (s.trace() != null) {
        report += GateTrace.explain(s.trace(), s.rounds(), 3);
      }
    } catch (Exception e) {
      // The control plane's watches would keep the JVM alive.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.print(report);
    Files.createDirectories(s.results().toAbsolutePath().getParent());
    Files.writeString(s.results(), report);
    System.err.println("bench: results written to " + s.results());
    System.exit(0);
  }

  static Settings parse(String[] args) {
    int migrations = 50;
    int deployments = 2;
    int namespaces = 5;
    int replicas = 1;
    int rounds = 2;
    int threads = OperatorSettings.DEFAULT_RECONCILE_THREADS;
    String jvm = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    List<String> cmFlags = List.of();
    Path results = Path.of("bench/target/gate-bench-results.md");
    Path trace = null;
    for (int i = 0; i < args.length; i++) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(usage());
      }
      String value = args[++i];
      switch (args[i - 1]) {
        case "--migrations" -> migrations = Integer.parseInt(value);
        case "--deployments" -> deployments = Integer.parseInt(value);
        case "--namespaces" -> namespaces = Integer.parseInt(value);
        case "--replicas" -> replicas = Integer.parseInt(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--reconcile-threads" -> threads = Integer.parseInt(value);
        case "--operator-jvm" -> jvm = value;
        case "--controller-manager-flags" ->
            cmFlags = Arrays.stream(value.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
        case "--results" -> results = Path.of(value);
        case "--trace" -> trace = Path.of(value).toAbsolutePath();
        default -> throw new IllegalArgumentException(usage());
      }
    }
    if (trace != null) {
      // Both processes write their side of the trace there.
      System.setProperty("bench.trace", trace.toString());
      jvm = jvm + " -Dbench.trace=" + trace;
    }
    return new Settings(
        migrations,
        deployments,
        namespaces,
        replicas,
        rounds,
        threads,
        jvm,
        cmFlags,
        results,
        trace);
  }

  private static String usage() {
    return "usage: GateBench [--migrations N (50)] [--deployments D per migration (2)]"
        + " [--namespaces K (5)] [--replicas R per Deployment (1)] [--rounds R (2)]"
        + " [--reconcile-threads T] [--operator-jvm 'JVM ARGS']"
        + " [--controller-manager-flags 'FLAGS'] [--results FILE] [--trace DIR]";
  }

  /** What one round measured; latencies in nanoseconds, sorted. */
  record Round(
      int expected,
      List<Long> gate,
      List<Long> gateFromComplete,
      List<Long> succeededToComplete,
      List<Long> succeededToReady,
      List<Long> readyToReleased,
      List<Long> baseline,
      long spanNanos,
      Map<String, Long> operator,
      Load load) {}

  static String run(Settings s) throws Exception {
    BenchCluster cluster = BenchCluster.start("real", s.controllerManagerFlags());
    KubernetesClient admin = cluster.newClient();
    KubernetesClient kubeletClient = cluster.newClient();
    KubernetesClient watchClient = cluster.newClient();
    for (int n = 0; n < s.namespaces(); n++) {
      cluster.prepareNamespace(admin, ns(n));
      admin
          .secrets()
          .inNamespace(ns(n))
          .resource(Fixtures.credentials(ns(n), "db", "app", "bench"))
          .create();
    }
    ClusterStandIn node = cluster.standIn(kubeletClient, runnerPods());
    Map<String, Deployment> probes = new ConcurrentHashMap<>();
    Map<String, Long> probePatched = new ConcurrentHashMap<>();
    ExecutorService patchers = Executors.newFixedThreadPool(4);
    GateTimeline seen =
        new GateTimeline(
            watchClient,
            migration ->
                patchers.submit(
                    () -> {
                      Deployment probe = probes.get(probeOf(migration));
                      if (probe != null) {
                        admin
                            .apps()
                            .deployments()
                            .inNamespace(probe.getMetadata().getNamespace())
                            .resource(probe)
                            .patch(PatchContext.of(PatchType.JSON), UNPAUSE);
                        probePatched.put(probeOf(migration), System.nanoTime());
                      }
                    }));
    OperatorChild operator =
        OperatorChild.start(cluster.operatorServer(), s.threads(), s.operatorJvm());
    operator.report(); // drops the start-up's reconciliations
    List<Round> rounds = new ArrayList<>();
    for (int r = 0; r < s.rounds(); r++) {
      rounds.add(round(s, r, cluster, admin, operator, seen, probes));
    }
    operator.exit();
    seen.close();
    patchers.shutdownNow();
    node.close();
    String clusterDescription = cluster.describe();
    watchClient.close();
    kubeletClient.close();
    admin.close();
    cluster.close();
    return GateReport.of(s, clusterDescription, rounds);
  }

  /** The wall clock's microseconds at a {@link System#nanoTime()} of this process. */
  private static final long EPOCH_MICROS_AT_ZERO_NANOS =
      java.time.Instant.now().toEpochMilli() * 1000 - System.nanoTime() / 1000;

  /**
   * With {@code -Dbench.trace=DIR}: what the bench's watches saw, per SchemaMigration and
   * Deployment, in wall-clock microseconds, to {@code DIR/bench-trace-R.tsv} (read beside the
   * operator's own trace).
   */
  private static void traceRound(int r, GateTimeline seen, List<String> gated) throws Exception {
    String dir = System.getProperty("bench.trace");
    if (dir == null) {
      return;
    }
    StringBuilder b = new StringBuilder();
    seen.jobSucceeded.forEach(
        (k, v) -> b.append(micros(v)).append("\tjob-succeeded\t").append(k).append('\n'));
    seen.migrationReady.forEach(
        (k, v) -> b.append(micros(v)).append("\tready\t").append(k).append('\n'));
    for (String d : gated) {
      Long v = seen.running.get(d);
      if (v != null) {
        b.append(micros(v))
            .append("\treleased\t")
            .append(d)
            .append('\t')
            .append(migrationOfApp(d))
            .append('\n');
      }
    }
    Files.writeString(Path.of(dir, "bench-trace-" + r + ".tsv"), b.toString());
  }

  private static long micros(long nanos) {
    return EPOCH_MICROS_AT_ZERO_NANOS + nanos / 1000;
  }

  /** The Job pods end at once with a success result; the apps' pods just run. */
  private static PodRunner runnerPods() {
    CannedPods jobs = new CannedPods(pod -> Outcome.succeeded(RESULT));
    return pod -> {
      var labels = pod.getMetadata().getLabels();
      return labels != null && labels.containsKey(SchemaGateApi.MIGRATION_LABEL)
          ? jobs.start(pod)
          : new PodRunner.NotRun();
    };
  }

  private static Round round(
      Settings s,
      int r,
      BenchCluster cluster,
      KubernetesClient admin,
      OperatorChild operator,
      GateTimeline seen,
      Map<String, Deployment> probes)
      throws Exception {
    // The Deployments first, held as the webhook admits them, with their probes.
    List<String> gated = new ArrayList<>();
    List<String> probeKeys = new ArrayList<>();
    for (int i = 0; i < s.migrations(); i++) {
      String ns = ns(i % s.namespaces());
      String migration = migrationName(r, i);
      for (int j = 0; j < s.deploymentsEach(); j++) {
        Deployment d = app(ns, "app-r" + r + "-" + i + "-" + j, migration, s.replicas());
        admin.apps().deployments().inNamespace(ns).resource(d).create();
        gated.add(GateTimeline.key(d));
      }
      // Not gated and paused by "a person": the operator leaves it alone. No replicas: the
      // release of the gated ones, not the probes, should load the controllers.
      Deployment probe = app(ns, "probe-r" + r + "-" + i, null, 0);
      probe = admin.apps().deployments().inNamespace(ns).resource(probe).create();
      probes.put(GateTimeline.key(probe), probe);
      probeKeys.add(GateTimeline.key(probe));
    }
    awaitAll(seen.held, gated, 60);
    awaitAll(seen.held, probeKeys, 60);
    TimeUnit.SECONDS.sleep(3); // the gate's first reconciliations of the new Deployments settle
    operator.report(); // drops them

    long cpuBefore = operator.cpuNanos();
    Load before = Load.now(cluster, operator.handle());
    ExecutorService creators = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    for (int i = 0; i < s.migrations(); i++) {
      SchemaMigration sm = migration(ns(i % s.namespaces()), migrationName(r, i), i);
      creators.submit(
          () ->
              admin
                  .resources(SchemaMigration.class)
                  .inNamespace(sm.getMetadata().getNamespace())
                  .resource(sm)
                  .create());
    }
    creators.shutdown();
    creators.awaitTermination(5, TimeUnit.MINUTES);
    boolean all = awaitAll(seen.running, gated, 600) & awaitAll(seen.running, probeKeys, 60);
    long span = System.nanoTime() - start;
    Load load = Load.now(cluster, operator.handle()).since(before);
    Map<String, Long> op = operator.report();
    op.put("cpu", operator.cpuNanos() - cpuBefore);
    if (!all) {
      System.err.println("bench: round " + r + ": not everything was released in time");
    }

    // "Job succeeded" is the first event of the Job that says so (succeeded > 0 or
    // SuccessCriteriaMet): what the operator acts on. Complete=True comes later, once the Job
    // controller has seen its pods end and removed their finalizers (Kubernetes 1.31+).
    List<Long> gate = new ArrayList<>();
    List<Long> fromComplete = new ArrayList<>();
    List<Long> readyToReleased = new ArrayList<>();
    for (String d : gated) {
      String migration = migrationOfApp(d);
      Long released = seen.running.get(d);
      Long succeeded = seen.jobSucceeded.get(migration);
      if (released == null || succeeded == null) {
        continue;
      }
      gate.add(released - succeeded);
      Long complete = seen.jobComplete.get(migration);
      if (complete != null) {
        fromComplete.add(released - complete);
      }
      Long ready = seen.migrationReady.get(migration);
      if (ready != null) {
        readyToReleased.add(released - ready);
      }
    }
    traceRound(r, seen, gated);
    List<Long> toComplete = new ArrayList<>();
    List<Long> toReady = new ArrayList<>();
    for (int i = 0; i < s.migrations(); i++) {
      String migration = ns(i % s.namespaces()) + "/" + migrationName(r, i);
      Long succeeded = seen.jobSucceeded.get(migration);
      if (succeeded == null) {
        continue;
      }
      Long complete = seen.jobComplete.get(migration);
      if (complete != null) {
        toComplete.add(complete - succeeded);
      }
      Long ready = seen.migrationReady.get(migration);
      if (ready != null) {
        toReady.add(ready - succeeded);
      }
    }
    List<Long> baseline = new ArrayList<>();
    for (String p : probeKeys) {
      Long unpaused = seen.running.get(p);
      Long succeeded = seen.jobSucceeded.get(migrationOfProbe(p));
      if (unpaused != null && succeeded != null) {
        baseline.add(unpaused - succeeded);
      }
    }
    return new Round(
        gated.size(),
        sorted(gate),
        sorted(fromComplete),
        sorted(toComplete),
        sorted(toReady),
        sorted(readyToReleased),
        sorted(baseline),
        span,
        op,
        load);
  }

  private static boolean awaitAll(Map<String, Long> seen, List<String> keys, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!seen.keySet().containsAll(keys)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return true;
  }

  /** Nearest-rank percentile; 100 is the maximum. */
  static long pct(List<Long> sorted, int p) {
    return OperatorProcess.percentile(sorted, p);
  }

  private static List<Long> sorted(List<Long> values) {
    List<Long> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  /** A Deployment of {@code replicas}, gated on {@code migration} (null: not gated), held. */
  private static Deployment app(String ns, String name, String migration, int replicas) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (migration != null) {
      annotations.put(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, REVISION);
      annotations.put(SchemaGateApi.PAUSED_BY_ANNOTATION, migration);
    }
    Deployment d = Fixtures.app(ns, name, migration, annotations);
    d.getSpec().setReplicas(replicas);
    d.getSpec().setPaused(true);
    return d;
  }

  private static SchemaMigration migration(String ns, String name, int i) {
    return Fixtures.migration(
        ns,
        name,
        sm -> {
          sm.getSpec().getDatabase().setUrl("jdbc:postgresql://" + name + ".db:5432/app");
          sm.getSpec().getDatabase().getCredentialsSecret().setName("db");
          sm.getSpec().getBundle().setImage("registry.example.com/app-migrations:1.0." + i);
        });
  }

  private static String migrationName(int round, int i) {
    return "gate-r" + round + "-" + i;
  }

  /** {@code ns/app-rR-I-J} → {@code ns/gate-rR-I}. */
  private static String migrationOfApp(String app) {
    String name = app.substring(app.indexOf("/app-") + 5);
    return app.substring(0, app.indexOf('/')) + "/gate-" + name.substring(0, name.lastIndexOf('-'));
  }

  /** {@code ns/probe-rR-I} → {@code ns/gate-rR-I}. */
  private static String migrationOfProbe(String probe) {
    return probe.replace("/probe-", "/gate-");
  }

  /** {@code ns/gate-rR-I} → {@code ns/probe-rR-I}. */
  private static String probeOf(String migration) {
    return migration.replace("/gate-", "/probe-");
  }

  private static String ns(int n) {
    return "gate-" + n;
  }
}
