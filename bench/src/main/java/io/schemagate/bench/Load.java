package io.schemagate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the time of one phase of the operator benchmark went: the CPU time of each process taking
 * part (the bench's own JVM, which holds the creating threads, the stand-ins, the watches and, on
 * the mock, the API server; the operator; and on a real control plane kube-apiserver, etcd and
 * kube-controller-manager) and the API server's requests by verb and resource, as counted by the
 * API server itself (real control plane only).
 */
record Load(Map<String, Long> cpuNanos, Map<String, Long> requests) {
  static final String BENCH = "bench JVM";
  static final String OPERATOR = "operator";
  private static final List<String> CONTROL_PLANE =
      List.of("kube-apiserver", "etcd", "kube-controller-manager");

  /** Now: the processes' CPU so far and the API server's counters so far. */
  static Load now(BenchCluster cluster, ProcessHandle operator) {
    Map<String, Long> cpu = new LinkedHashMap<>();
    cpu.put(BENCH, cpu(ProcessHandle.current()));
    if (operator != null) {
      cpu.put(OPERATOR, cpu(operator));
    }
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              String name =
                  p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
              if (CONTROL_PLANE.contains(name)) {
                cpu.merge(name, cpu(p), Long::sum);
              }
            });
    return new Load(cpu, cluster.requestCounts());
  }

  private static long cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** What happened between {@code before} and this. */
  Load since(Load before) {
    Map<String, Long> cpu = new LinkedHashMap<>();
    cpuNanos.forEach((k, v) -> cpu.put(k, v - before.cpuNanos.getOrDefault(k, 0L)));
    Map<String, Long> req = new TreeMap<>();
    requests.forEach(
        (k, v) -> {
          long d = v - before.requests.getOrDefault(k, 0L);
          if (d > 0) {
            req.put(k, d);
          }
        });
    return new Load(cpu, req);
  }

  long totalCpuNanos() {
    return cpuNanos.values().stream().mapToLong(Long::longValue).sum();
  }
}
