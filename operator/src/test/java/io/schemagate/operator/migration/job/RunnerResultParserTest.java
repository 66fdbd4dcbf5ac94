package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RunnerResultParserTest {

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "null",
        "[]",
        "\"Succeeded\"",
        "{}",
        "{\"command\":\"migrate\",\"status\":\"Running\"}",
        "{\"command\":\"migrate\",\"status\":\"Failed\",\"error\":null}",
        "{\"command\":\"migrate\",\"status\":\"Failed\",\"error\":{\"message\":\"no reason\"}}",
        "{\"command\":\"migrate\",\"status\":\"Succeeded\",\"currentRev",
        "Error: could not find or load main class io.schemagate.runner.Main"
      })
  void anythingButAWholeResultIsNoResult(String message) {
    assertThat(RunnerResultParser.parse(message)).isEmpty();
  }

  @Test
  void emptyDatabaseHasNoCurrentRevision() {
    Optional<RunnerResult> result =
        RunnerResultParser.parse(
            "{\"command\":\"info\",\"status\":\"Succeeded\",\"currentRevision\":null,"
                + "\"headRevision\":\"3\",\"targetRevision\":\"3\",\"stateKnown\":true,\"appliedCount\":0,"
                + "\"pendingCount\":3,\"durationMs\":41,\"applied\":[],\"pending\":[\"1\",\"2\",\"3\"],"
                + "\"future\":[],\"warnings\":[],\"migrations\":[{\"version\":\"1\"}],\"error\":null}");

    assertThat(result).isPresent();
    assertThat(result.get().currentRevision()).isNull();
    assertThat(result.get().pending()).containsExactly("1", "2", "3");
  }

  @Test
  void stateNotAssertedIsNotKnown() {
    RunnerResult result =
        RunnerResultParser.parse(
                "{\"command\":\"migrate\",\"status\":\"Failed\",\"currentRevision\":null,"
                    + "\"error\":{\"reason\":\"ConfigurationInvalid\",\"message\":\"bad\"}}")
            .orElseThrow();

    assertThat(result.stateKnown()).as("null must not read as an empty database").isFalse();
  }

  @Test
  void missingListsAndCountsReadAsEmpty() {
    RunnerResult result =
        RunnerResultParser.parse("{\"status\":\"Succeeded\",\"newField\":{\"a\":1}}").orElseThrow();

    assertThat(result.pending()).isEmpty();
    assertThat(result.future()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    assertThat(result.appliedCount()).isZero();
    assertThat(result.pendingOmitted()).isZero();
  }

  @Test
  void futureAndWarningsKeepTheirOmittedCounts() {
    RunnerResult result =
        RunnerResultParser.parse(
                "{\"status\":\"Succeeded\",\"future\":[\"8\",\"9\"],\"warnings\":[\"w1\"],"
                    + "\"omitted\":{\"future\":3,\"warnings\":7}}")
            .orElseThrow();

    assertThat(result.future()).containsExactly("8", "9");
    assertThat(result.futureOmitted()).isEqualTo(3);
    assertThat(result.warningsOmitted()).isEqualTo(7);
  }

  @Test
  void errorFieldsOfOddTypesDoNotBreakTheResult() {
    RunnerResult result =
        RunnerResultParser.parse(
                "{\"status\":\"Failed\",\"error\":{\"reason\":\"ValidationFailed\","
                    + "\"message\":\"checksum mismatch\",\"line\":\"twelve\",\"partial\":null}}")
            .orElseThrow();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.error().reason()).isEqualTo("ValidationFailed");
    assertThat(result.error().line()).isNull();
    assertThat(result.error().partial()).isFalse();
  }

  @Test
  void warningsAndErrorMessagesAreMadeSafe() {
    RunnerResult result =
        RunnerResultParser.parse(
                "{\"status\":\"Failed\",\"warnings\":[\"retrying postgres://u:p@db/x\\nagain\"],"
                    + "\"error\":{\"reason\":\"DatabaseUnreachable\","
                    + "\"message\":\"jdbc:postgresql://admin:pw@db:5432/x?user=admin refused\"}}")
            .orElseThrow();

    assertThat(result.warnings()).containsExactly("retrying postgres://db/x again");
    assertThat(result.error().message()).isEqualTo("jdbc:postgresql://db:5432/x?user=*** refused");
  }
}
