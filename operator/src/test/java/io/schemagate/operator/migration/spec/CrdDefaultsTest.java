package io.schemagate.operator.migration.spec;

import static io.schemagate.operator.migration.spec.ApiServerValidation.SERIALIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrdDefaultsTest {
  @Test
  void schemaDefaultsEqualJavaFieldInitializers() throws IOException {
    // The fabric8 mock API server applies no defaults, so what the operator reads there must
    // already carry them: the Java types' initializers must say what the schema says.
    JsonNode minimal = SpecExamples.minimal();
    JsonNode byApiServer = ApiServerValidation.committedCrd().defaulted(minimal).get("spec");
    JsonNode byJava =
        SERIALIZATION
            .convertValue(
                SERIALIZATION.convertValue(minimal, SchemaMigration.class), JsonNode.class)
            .get("spec");

    assertThat(withoutEmpty(byJava)).isEqualTo(withoutEmpty(byApiServer));
  }

  @Test
  void everyOptionalSpecFieldWithAScalarValueHasADefault() throws IOException {
    JsonNode byApiServer =
        ApiServerValidation.committedCrd().defaulted(SpecExamples.minimal()).get("spec");

    assertThat(byApiServer.path("retry").path("limit").asInt()).isEqualTo(3);
    assertThat(byApiServer.path("retry").path("initialDelay").asText()).isEqualTo("10s");
    assertThat(byApiServer.path("retry").path("maxDelay").asText()).isEqualTo("5m");
    assertThat(byApiServer.path("timeout").asText()).isEqualTo("15m");
    assertThat(byApiServer.path("lint").asText()).isEqualTo("Enforce");
    assertThat(byApiServer.path("targetRevision").isTextual()).isTrue();
    assertThat(byApiServer.path("baselineRevision").isTextual()).isTrue();
    assertThat(byApiServer.path("database").path("lockTimeout").asText()).isEqualTo("10s");
    assertThat(byApiServer.path("database").path("credentialsSecret").path("passwordKey").asText())
        .isEqualTo("password");
    assertThat(byApiServer.path("bundle").path("imagePullPolicy").asText())
        .isEqualTo("IfNotPresent");
    assertThat(byApiServer.path("job").path("ttlSecondsAfterFinished").asInt()).isEqualTo(86400);
  }

  // An empty list or map means the same as none to the operator; the schema gives none.
  private static JsonNode withoutEmpty(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> empty = new ArrayList<>();
      for (Map.Entry<String, JsonNode> f : object.properties()) {
        strip(f.getValue());
        JsonNode v = f.getValue();
        if (v.isNull() || (v.isContainerNode() && v.isEmpty())) {
          empty.add(f.getKey());
        }
      }
      object.remove(empty);
    } else if (node.isArray()) {
      node.forEach(CrdDefaultsTest::strip);
    }
  }
}
