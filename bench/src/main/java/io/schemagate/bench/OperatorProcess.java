package io.schemagate.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.schemagate.operator.CommonPool;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The operator under benchmark, in a process of its own as in a cluster: started by {@link
 * OperatorBench} against the benchmark's API server, with the same wiring as the operator's main.
 * Prints {@code started} once running; on each {@code report} line on stdin it prints what it
 * measured since the last one as {@code key=value} lines, then {@code end}; it exits when stdin
 * closes.
 *
 * <pre>OperatorProcess MASTER_URL|KUBECONFIG RECONCILE_THREADS</pre>
 */
public final class OperatorProcess {
  private OperatorProcess() {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureParallelism();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config(args[0])).build();
    Latencies latencies = new Latencies();
    Operator operator =
        SchemaGateOperator.builder(
                client, OperatorSettings.local().withReconcileThreads(Integer.parseInt(args[1])))
            .metrics(latencies)
            .build();
    operator.start();
    System.out.println("started");
    System.out.flush();

    // Each "report" line: the reconciliations since the last report and the heap after GC.
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (!line.equals("report")) {
        continue;
      }
      long heap = heapAfterGc();
      List<Long> lat = latencies.drain();
      System.out.println("reconciliations=" + lat.size());
      System.out.println("failed=" + latencies.failed.getAndSet(0));
      System.out.println("retried=" + latencies.retried.getAndSet(0));
      System.out.println("p50=" + percentile(lat, 50));
      System.out.println("p99=" + percentile(lat, 99));
      System.out.println("max=" + (lat.isEmpty() ? 0 : lat.get(lat.size() - 1)));
      System.out.println("heap=" + heap);
      System.out.println("end");
      System.out.flush();
    }
    operator.stop();
    client.close();
    System.exit(0);
  }

  /** A URL (the mock server) or the path of a kubeconfig file (a real API server). */
  static Config config(String server) throws java.io.IOException {
    if (server.startsWith("http://") || server.startsWith("https://")) {
      return new ConfigBuilder()
          .withMasterUrl(server)
          .withTrustCerts(true)
          .withNamespace("default")
          .build();
    }
    return Config.fromKubeconfig(Files.readString(Path.of(server)));
  }

  /** Times every reconciliation through JOSDK's metrics hook. */
  static final class Latencies implements Metrics {
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    /**
     * With {@code -Dbench.trace=DIR}: every event, reconciliation start and end, with the wall
     * clock in microseconds, to {@code DIR/operator-trace.tsv}, to follow one resource's path.
     */
    private final java.io.PrintWriter trace = traceFile();

    private static java.io.PrintWriter traceFile() {
      String dir = System.getProperty("bench.trace");
      if (dir == null) {
        return null;
      }
      try {
        return new java.io.PrintWriter(
            Files.newBufferedWriter(Path.of(dir, "operator-trace.tsv")), true);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private void trace(String what, Object controller, String ns, String name) {
      if (trace != null) {
        java.time.Instant t = java.time.Instant.now();
        long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        synchronized (trace) {
          trace.println(
              micros
                  + "\t"
                  + what
                  + "\t"
                  + controller
                  + "\t"
                  + ns
                  + "/"
                  + name
                  + "\t"
                  + Thread.currentThread().getName());
        }
      }
    }

    @Override
    public void receivedEvent(
        io.javaoperatorsdk.operator.processing.event.Event event,
        java.util.Map<String, Object> metadata) {
      var id = event.getRelatedCustomResourceID();
      trace(
          "event:" + event.getClass().getSimpleName(),
          metadata.get("controller.name"),
          id.getNamespace().orElse(""),
          id.getName());
    }

    @Override
    public void reconciliationExecutionStarted(
        io.fabric8.kubernetes.api.model.HasMetadata resource,
        java.util.Map<String, Object> metadata) {
      trace(
          "start",
          metadata.get("controller.name"),
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
    }

    @Override
    public void reconciliationExecutionFinished(
        io.fabric8.kubernetes.api.model.HasMetadata resource,
        java.util.Map<String, Object> metadata) {
      trace(
          "end",
          metadata.get("controller.name"),
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
    }

    /** Reconciliations that ended in an exception (JOSDK retries them after 1 s, doubling). */
    final java.util.concurrent.atomic.AtomicLong failed =
        new java.util.concurrent.atomic.AtomicLong();

    /** Reconciliations that were such a retry. */
    final java.util.concurrent.atomic.AtomicLong retried =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void failedReconciliation(
        io.fabric8.kubernetes.api.model.HasMetadata resource,
        Exception exception,
        java.util.Map<String, Object> metadata) {
      failed.incrementAndGet();
      System.err.println(
          "failed reconciliation of "
              + resource.getKind()
              + " "
              + resource.getMetadata().getName()
              + ": "
              + exception);
    }

    @Override
    public void reconcileCustomResource(
        io.fabric8.kubernetes.api.model.HasMetadata resource,
        io.javaoperatorsdk.operator.api.reconciler.RetryInfo retry,
        java.util.Map<String, Object> metadata) {
      if (retry != null && retry.getAttemptCount() > 0) {
        retried.incrementAndGet();
      }
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      long t0 = System.nanoTime();
      try {
        return execution.execute();
      } finally {
        nanos.add(System.nanoTime() - t0);
      }
    }

    /** The latencies recorded since the last call, sorted. */
    List<Long> drain() {
      synchronized (nanos) {
        List<Long> copy = new ArrayList<>(nanos);
        nanos.clear();
        Collections.sort(copy);
        return copy;
      }
    }
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
