package io.schemagate.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
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
}
