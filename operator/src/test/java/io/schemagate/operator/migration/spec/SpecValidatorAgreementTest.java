package io.schemagate.operator.migration.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorAgreementTest {
  private static ApiServerValidation apiServer;

  @BeforeAll
  static void loadCrd() throws IOException {
    apiServer = ApiServerValidation.committedCrd();
  }

  static Stream<SpecExamples.Example> examples() throws IOException {
    return SpecExamples.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void specValidatorRejectsTheFieldsTheApiServerRejects(SpecExamples.Example example) {
    Set<String> apiServerFields = fields(apiServer.validate(example.object()));
    List<Violation> javaViolations = SpecValidator.validate(example.toJava());

    assertThat(fields(javaViolations))
        .as("SpecValidator said %s", javaViolations)
        .isEqualTo(apiServerFields);
    // Where a CEL rule fails, SpecValidator says the same thing in the same words.
    assertThat(javaViolations).containsAll(apiServer.failedRules(example.object()));
  }

  private static Set<String> fields(List<Violation> violations) {
    return new TreeSet<>(violations.stream().map(Violation::field).toList());
  }
}
