package io.schemagate.operator.migration.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrdValidationTest {
  private static ApiServerValidation apiServer;

  @BeforeAll
  static void loadCrd() throws IOException {
    apiServer = ApiServerValidation.committedCrd();
  }

  static Stream<SpecExamples.Example> good() throws IOException {
    return SpecExamples.good();
  }

  static Stream<SpecExamples.Example> bad() throws IOException {
    return SpecExamples.bad();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void apiServerAcceptsGoodExample(SpecExamples.Example example) {
    assertThat(apiServer.validate(example.object())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void apiServerRejectsBadExampleForItsReason(SpecExamples.Example example) {
    List<Violation> violations = apiServer.validate(example.object());

    assertThat(new TreeSet<>(violations.stream().map(Violation::field).toList()))
        .as("fields reported: %s", violations)
        .isEqualTo(new TreeSet<>(example.expect().keySet()));
    for (Map.Entry<String, String> expected : example.expect().entrySet()) {
      assertThat(violations)
          .as("a violation of %s mentioning '%s'", expected.getKey(), expected.getValue())
          .anySatisfy(
              v -> {
                assertThat(v.field()).isEqualTo(expected.getKey());
                assertThat(v.message()).contains(expected.getValue());
              });
    }
  }

  @Test
  void apiServerRejectsTwoConditionsOfOneTypeAndAConditionWithoutReason() throws IOException {
    // Status is the operator's to write; these guard the operator's own status writer.
    JsonNode withStatus = SpecExamples.read(Path.of("good", "with-status.yaml"));
    ObjectNode status = (ObjectNode) withStatus.get("status");
    ArrayNode conditions = (ArrayNode) status.get("conditions");
    ObjectNode secondReady = conditions.get(0).deepCopy();
    conditions.add(secondReady);
    ((ObjectNode) conditions.get(1)).remove("reason");

    assertThat(apiServer.validate(withStatus))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("status.conditions[3]", "status.conditions[1].reason");
  }
}
