package io.schemagate.operator.migration.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdShapeTest {
  // Kubernetes types embedded whole; their own API server rules apply when the pod is created.
  private static final Set<String> EMBEDDED =
      Set.of(
          "spec.job.resources",
          "spec.job.tolerations[]",
          "spec.job.env[]",
          "spec.job.volumes[]",
          "spec.job.volumeMounts[]",
          "spec.job.sidecars[]",
          "spec.bundle.imagePullSecrets[]",
          "spec.job.nodeSelector{}",
          "spec.job.podAnnotations{}");

  private static JsonNode crd;
  private static ApiServerValidation apiServer;

  @BeforeAll
  static void loadCrd() throws IOException {
    apiServer = ApiServerValidation.committedCrd();
    crd = apiServer.crd();
  }

  @Test
  void namesShortNameCategoryAndStatusSubresource() {
    JsonNode names = crd.at("/spec/names");
    assertThat(names.path("kind").asText()).isEqualTo("SchemaMigration");
    assertThat(names.path("shortNames").toString()).isEqualTo("[\"smig\"]");
    assertThat(names.path("categories").toString()).isEqualTo("[\"schemagate\"]");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.path("served").asBoolean()).isTrue();
    assertThat(version.path("storage").asBoolean()).isTrue();
    assertThat(version.at("/subresources/status").isObject()).isTrue();
  }

  @Test
  void printerColumnsAnswerDoneWhichRevisionAndWhyNot() {
    Map<String, String> columns = new LinkedHashMap<>();
    crd.at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.put(c.get("name").asText(), c.get("jsonPath").asText()));

    assertThat(columns.keySet())
        .containsExactly("Ready", "Revision", "Head", "Duration", "Reason", "Age");
    assertThat(columns)
        .containsEntry("Ready", ".status.conditions[?(@.type==\"Ready\")].status")
        .containsEntry("Reason", ".status.conditions[?(@.type==\"Ready\")].reason")
        .containsEntry("Revision", ".status.currentRevision")
        .containsEntry("Head", ".status.headRevision")
        .containsEntry("Duration", ".status.lastRun.durationSeconds")
        .containsEntry("Age", ".metadata.creationTimestamp");
  }

  @Test
  void conditionsAreAMapKeyedByType() {
    JsonNode conditions = apiServer.openApiSchema().at("/properties/status/properties/conditions");
    assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(conditions.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"type\"]");
    assertThat(conditions.at("/items/required").toString()).contains("\"type\"");
    assertThat(conditions.path("maxItems").asInt()).isEqualTo(8);
  }

  @Test
  void everyStringAndListOfOurOwnIsBounded() {
    List<String> unbounded = new ArrayList<>();
    unbounded(apiServer.openApiSchema().at("/properties/spec"), "spec", unbounded);
    unbounded(apiServer.openApiSchema().at("/properties/status"), "status", unbounded);
    assertThat(unbounded).isEmpty();
  }

  @Test
  void everyRuleCompiles() {
    List<String> rules = new ArrayList<>();
    collectRules(apiServer.openApiSchema(), rules);
    assertThat(rules).hasSizeGreaterThan(10);
    rules.forEach(apiServer::program);
  }

  private static void unbounded(JsonNode schema, String path, List<String> out) {
    if (EMBEDDED.contains(path)) {
      return;
    }
    String type = schema.path("type").asText();
    boolean closed = schema.has("enum") || schema.has("format");
    if (type.equals("string") && !schema.has("maxLength") && !closed) {
      out.add(path);
    }
    if (type.equals("array")) {
      if (!schema.has("maxItems")) {
        out.add(path);
      }
      unbounded(schema.get("items"), path + "[]", out);
    }
    if (type.equals("object") && schema.has("additionalProperties")) {
      if (!schema.has("maxProperties")) {
        out.add(path);
      }
      unbounded(schema.get("additionalProperties"), path + "{}", out);
    }
    schema
        .path("properties")
        .properties()
        .forEach(p -> unbounded(p.getValue(), path + "." + p.getKey(), out));
  }

  private static void collectRules(JsonNode node, List<String> rules) {
    if (node.has("x-kubernetes-validations")) {
      node.get("x-kubernetes-validations").forEach(r -> rules.add(r.get("rule").asText()));
    }
    node.forEach(child -> collectRules(child, rules));
  }
}
