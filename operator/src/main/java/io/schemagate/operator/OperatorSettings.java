package io.schemagate.operator;

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
 * @param leaseNamespace namespace of the leader-election Lease; null disables leader election
 * @param leaseName name of the Lease
 * @param healthPort port of {@code /healthz} and {@code /readyz}; 0 disables the server
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    List<String> allowedImagePrefixes,
    String leaseNamespace,
    String leaseName,
    int healthPort) {

  public static final String WATCH_NAMESPACES = "SCHEMAGATE_WATCH_NAMESPACES";
  public static final String ALLOWED_IMAGE_PREFIXES = "SCHEMAGATE_ALLOWED_IMAGE_PREFIXES";
  public static final String LEASE_NAMESPACE = "SCHEMAGATE_LEASE_NAMESPACE";
  public static final String LEASE_NAME = "SCHEMAGATE_LEASE_NAME";
  public static final String HEALTH_PORT = "SCHEMAGATE_HEALTH_PORT";

  /** Settings from environment variables; comma-separated lists. */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    String port = env.getOrDefault(HEALTH_PORT, "8081");
    int healthPort;
    try {
      healthPort = Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(HEALTH_PORT + " is not a port number: " + port, e);
    }
    String leaseNamespace = blankToNull(env.get(LEASE_NAMESPACE));
    return new OperatorSettings(
        Set.copyOf(list(env.get(WATCH_NAMESPACES))),
        list(env.get(ALLOWED_IMAGE_PREFIXES)),
        leaseNamespace,
        env.getOrDefault(LEASE_NAME, "schemagate-operator"),
        healthPort);
  }

  /** Settings for tests and the sandbox: all namespaces, any image, no leader election. */
  public static OperatorSettings local() {
    return new OperatorSettings(Set.of(), List.of(), null, "schemagate-operator", 0);
  }

  /** Whether a bundle image may run under the allow-list. */
  public boolean imageAllowed(String image) {
    return allowedImagePrefixes.isEmpty()
        || (image != null && allowedImagePrefixes.stream().anyMatch(image::startsWith));
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
