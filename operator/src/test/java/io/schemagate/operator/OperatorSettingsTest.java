package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsFromAnEmptyEnvironment() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of());
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.allowedImagePrefixes()).isEmpty();
    assertThat(s.lease()).isNull();
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.reconcileThreads()).isEqualTo(OperatorSettings.DEFAULT_RECONCILE_THREADS);
    assertThat(s.imageAllowed("anything:1")).isTrue();
  }

  @Test
  void everyVariableIsRead() {
    OperatorSettings s =
        OperatorSettings.fromEnv(
            Map.of(
                OperatorSettings.WATCH_NAMESPACES, " team-a, team-b ,",
                OperatorSettings.ALLOWED_IMAGE_PREFIXES, "registry.example.com/migrations/",
                OperatorSettings.LEASE_NAMESPACE, "schemagate-system",
                OperatorSettings.LEASE_DURATION, "30s",
                OperatorSettings.LEASE_RENEW_DEADLINE, "20s",
                OperatorSettings.HTTP_PORT, "9090",
                OperatorSettings.RECONCILE_THREADS, " 16 "));
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(s.allowedImagePrefixes()).isEqualTo(List.of("registry.example.com/migrations/"));
    assertThat(s.imageAllowed("registry.example.com/migrations/app:1")).isTrue();
    assertThat(s.imageAllowed("docker.io/evil:1")).isFalse();
    assertThat(s.lease().namespace()).isEqualTo("schemagate-system");
    assertThat(s.lease().name()).isEqualTo("schemagate-operator");
    assertThat(s.lease().duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.lease().renewDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.lease().retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.httpPort()).isEqualTo(9090);
    assertThat(s.reconcileThreads()).isEqualTo(16);
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(
            () -> OperatorSettings.fromEnv(Map.of(OperatorSettings.RECONCILE_THREADS, "many")))
        .hasMessageContaining("SCHEMAGATE_RECONCILE_THREADS");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnv(Map.of(OperatorSettings.RECONCILE_THREADS, "0")))
        .hasMessageContaining("SCHEMAGATE_RECONCILE_THREADS must be at least 1");
    assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of(OperatorSettings.HTTP_PORT, "x")))
        .hasMessageContaining("SCHEMAGATE_HTTP_PORT");
    assertThatThrownBy(
            () ->
                OperatorSettings.fromEnv(
                    Map.of(
                        OperatorSettings.LEASE_NAMESPACE, "ns",
                        OperatorSettings.LEASE_DURATION, "10s")))
        .hasMessageContaining("SCHEMAGATE_LEASE_RENEW_DEADLINE must be shorter");
    assertThatThrownBy(
            () ->
                OperatorSettings.fromEnv(
                    Map.of(
                        OperatorSettings.LEASE_NAMESPACE, "ns",
                        OperatorSettings.LEASE_DURATION, "soon")))
        .hasMessageContaining("SCHEMAGATE_LEASE_DURATION");
  }
}
