package io.schemagate.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code values.schema.json}: values a user could get wrong fail at install (Helm checks them
 * before it renders anything) with a message naming the value and what it must be.
 */
class ChartValuesSchemaTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(Map.of("replicas", 0), "at '/replicas': minimum: got 0, want 1"),
        Arguments.of(
            Map.of("webhook", Map.of("certificates", "vault")),
            "at '/webhook/certificates': value must be one of 'generate', 'cert-manager'"),
        Arguments.of(
            Map.of("log", Map.of("format", "xml")),
            "at '/log/format': value must be one of 'text', 'json'"),
        Arguments.of(
            Map.of("log", Map.of("level", "verbose")), "at '/log/level': value must be one of"),
        Arguments.of(
            Map.of("watchNamespaces", List.of("shop", "Billing_EU")),
            "at '/watchNamespaces/1': 'Billing_EU' does not match pattern"),
        Arguments.of(
            Map.of("watchNamespaces", "shop,billing"),
            "at '/watchNamespaces': got string, want array"),
        Arguments.of(
            Map.of("allowedImagePrefixes", "registry.example.com/"),
            "at '/allowedImagePrefixes': got string, want array"),
        Arguments.of(
            Map.of("allowedImagePrefixes", List.of("a.example/,b.example/")),
            "at '/allowedImagePrefixes/0': 'a.example/,b.example/' does not match pattern"),
        Arguments.of(Map.of("replica", 3), "additional properties 'replica' not allowed"),
        Arguments.of(
            Map.of("ports", Map.of("webhook", 70000)),
            "at '/ports/webhook': maximum: got 70,000, want 65,535"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesFailWithAMessageNamingThem(Map<String, Object> values, String message) {
    assertThatThrownBy(() -> SchemagateChart.templateText(values))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @MethodSource("goodValues")
  void goodValuesPass(Map<String, Object> values) {
    assertThat(SchemagateChart.templateText(values)).contains("kind: Deployment");
  }

  static Stream<Map<String, Object>> goodValues() {
    return Stream.of(
        Map.of(),
        Map.of(
            "replicas",
            1,
            "watchNamespaces",
            List.of("shop", "billing-eu"),
            "allowedImagePrefixes",
            List.of("registry.example.com/migrations/"),
            "log",
            Map.of("format", "json", "level", "debug"),
            "webhook",
            Map.of(
                "certificates",
                "cert-manager",
                "certManager",
                Map.of("issuerRef", Map.of("name", "corp-ca", "kind", "ClusterIssuer")))));
  }
}
