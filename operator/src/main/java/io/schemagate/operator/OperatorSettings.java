package io.schemagate.operator;

import io.schemagate.api.v1alpha1.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How an operator deployment is configured, from its environment (the Helm chart sets these).
 *
 * @param watchNamespaces namespaces whose SchemaMigrations are reconciled; empty means all
 * @param allowedImagePrefixes when non-empty, a bundle image must start with one of these: creating
 *     a SchemaMigration runs an image in its namespace, which operators of shared clusters limit
 * @param lease leader election with a Lease; null runs without (one replica)
 * @param httpPort port of {@code /metrics}, {@code /healthz} and {@code /readyz}; 0 disables the
 *     server
 * @param reconcileThreads how many SchemaMigrations are reconciled at once
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    List<String> allowedImagePrefixes,
    Lease lease,
    int httpPort,
    int reconcileThreads) {

  public OperatorSettings {
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException(RECONCILE_THREADS + " must be at least 1");
    }
  }

  public static final String WATCH_NAMESPACES = "SCHEMAGATE_WATCH_NAMESPACES";
  public static final String ALLOWED_IMAGE_PREFIXES = "SCHEMAGATE_ALLOWED_IMAGE_PREFIXES";
  public static final String LEASE_NAMESPACE = "SCHEMAGATE_LEASE_NAMESPACE";
  public static final String LEASE_NAME = "SCHEMAGATE_LEASE_NAME";
  public static final String LEASE_DURATION = "SCHEMAGATE_LEASE_DURATION";
  public static final String LEASE_RENEW_DEADLINE = "SCHEMAGATE_LEASE_RENEW_DEADLINE";
  public static final String LEASE_RETRY_PERIOD = "SCHEMAGATE_LEASE_RETRY_PERIOD";
  public static final String HTTP_PORT = "SCHEMAGATE_HTTP_PORT";
  public static final String RECONCILE_THREADS = "SCHEMAGATE_RECONCILE_THREADS";

  /** See docs/benchmarks.md (the operator): past this, reconciliations only queue for the API. */
  public static final int DEFAULT_RECONCILE_THREADS = 2;

  /**
   * Leader election: only the holder of the Lease reconciles.
   *
   * @param identity this replica's name in the Lease; null takes the pod's {@code HOSTNAME}
   * @param exitOnLoss whether a replica that loses the Lease exits (so that its restart cannot
   *     overlap with the new leader's reconciliations); off only in tests that run two operators in
   *     one JVM
   */
  public record Lease(
      String namespace,
      String name,
      Duration duration,
      Duration renewDeadline,
      Duration retryPeriod,
      String identity,
      boolean exitOnLoss) {

    /** The Kubernetes client-go defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
    public static Lease of(String namespace, String name) {
      return new Lease(
          namespace,
          name,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          null,
          true);
    }
  }

  /** Settings from environment variables; comma-separated lists, API-style durations. */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    String port = env.getOrDefault(HTTP_PORT, "8080");
    int httpPort;
    try {
      httpPort = Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(HTTP_PORT + " is not a port number: " + port, e);
    }
    String threads = env.getOrDefault(RECONCILE_THREADS, "").trim();
    int reconcileThreads;
    try {
      reconcileThreads = threads.isEmpty() ? DEFAULT_RECONCILE_THREADS : Integer.parseInt(threads);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(RECONCILE_THREADS + " is not a number: " + threads, e);
    }
    String leaseNamespace = blankToNull(env.get(LEASE_NAMESPACE));
    Lease lease = null;
    if (leaseNamespace != null) {
      Lease defaults =
          Lease.of(leaseNamespace, env.getOrDefault(LEASE_NAME, "schemagate-operator"));
      lease =
          new Lease(
              defaults.namespace(),
              defaults.name(),
              duration(env, LEASE_DURATION, defaults.duration()),
              duration(env, LEASE_RENEW_DEADLINE, defaults.renewDeadline()),
              duration(env, LEASE_RETRY_PERIOD, defaults.retryPeriod()),
              null,
              true);
      if (lease.renewDeadline().compareTo(lease.duration()) >= 0) {
        throw new IllegalArgumentException(
            LEASE_RENEW_DEADLINE + " must be shorter than " + LEASE_DURATION);
      }
    }
    return new OperatorSettings(
        watchNamespaces(env),
        list(env.get(ALLOWED_IMAGE_PREFIXES)),
        lease,
        httpPort,
        reconcileThreads);
  }

  /** The namespaces {@value #WATCH_NAMESPACES} lists (empty: all). */
  public static Set<String> watchNamespaces(Map<String, String> env) {
    return Set.copyOf(list(env.get(WATCH_NAMESPACES)));
  }

  /** Settings for tests and the sandbox: all namespaces, any image, no leader election. */
  public static OperatorSettings local() {
    return new OperatorSettings(Set.of(), List.of(), null, 0, DEFAULT_RECONCILE_THREADS);
  }

  /** These settings with {@code threads} reconciliations at once. */
  public OperatorSettings withReconcileThreads(int threads) {
    return new OperatorSettings(watchNamespaces, allowedImagePrefixes, lease, httpPort, threads);
  }

  /** Whether a bundle image may run under the allow-list. */
  public boolean imageAllowed(String image) {
    return allowedImagePrefixes.isEmpty()
        || (image != null && allowedImagePrefixes.stream().anyMatch(image::startsWith));
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableList());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
