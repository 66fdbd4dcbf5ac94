package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether a string survives a UTF-8 round trip (no lone surrogate from a bad cut). */
  private static boolean wellFormed(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  private static RunResult bigFailure(String message) {
    RunResult r = new RunResult("migrate");
    List<RunResult.Applied> applied = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      applied.add(new RunResult.Applied(Integer.toString(i), "migration number " + i, i));
      pending.add(Integer.toString(1000 + i));
    }
    r.applied(applied).pending(pending);
    r.currentRevision("1000").headRevision("2000").targetRevision("2000").durationMs(123456);
    r.fail(
        Reason.MigrationFailed,
        message,
        new FailureDetail("1001", "V1001__broken.sql", 12, "42P01", true));
    return r;
  }

  @Test
  void compactJsonStaysUnderTheLimitAndKeepsStatusAndError() throws Exception {
    RunResult r = bigFailure("relation does not exist: " + "x".repeat(10_000));

    String compact = r.toCompactJson();

    assertThat(bytes(compact)).isLessThan(RunResult.COMPACT_LIMIT_BYTES);
    JsonNode n = MAPPER.readTree(compact);
    assertThat(n.path("status").asText()).isEqualTo("Failed");
    assertThat(n.path("command").asText()).isEqualTo("migrate");
    assertThat(n.path("currentRevision").asText()).isEqualTo("1000");
    assertThat(n.path("appliedCount").asInt()).isEqualTo(1000);
    assertThat(n.path("pendingCount").asInt()).isEqualTo(1000);
    JsonNode error = n.path("error");
    assertThat(error.path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(error.path("message").asText()).startsWith("relation does not exist: xxx");
    assertThat(error.path("version").asText()).isEqualTo("1001");
    assertThat(error.path("file").asText()).isEqualTo("V1001__broken.sql");
    assertThat(error.path("line").asInt()).isEqualTo(12);
    assertThat(error.path("sqlState").asText()).isEqualTo("42P01");
    assertThat(error.path("partial").asBoolean()).isTrue();
    // what was cut is counted, exactly
    assertThat(n.path("applied").size() + n.path("omitted").path("applied").asInt())
        .isEqualTo(1000);
    assertThat(n.path("pending").size() + n.path("omitted").path("pending").asInt())
        .isEqualTo(1000);
    assertThat(n.path("omitted").path("applied").asInt()).isPositive();
    assertThat(n.path("applied").get(0).path("version").asText())
        .as("the oldest entries are kept")
        .isEqualTo("1");
  }

  @Test
  void fullJsonKeepsEverything() throws Exception {
    RunResult r = bigFailure("boom");

    JsonNode n = MAPPER.readTree(r.toJson());

    assertThat(n.path("applied").size()).isEqualTo(1000);
    assertThat(n.path("pending").size()).isEqualTo(1000);
    assertThat(n.has("omitted")).isFalse();
  }

  @Test
  void compactJsonOfASmallResultIsTheFullOne() {
    RunResult r = new RunResult("info").currentRevision("3").headRevision("3");
    r.applied(List.of(new RunResult.Applied("3", "x", 1)));

    assertThat(r.toCompactJson()).isEqualTo(r.toJson());
    assertThat(r.toJson()).contains("\"error\":null").contains("\"currentRevision\":\"3\"");
  }

  @Test
  void compactJsonStaysUnderTheLimitWhateverTheMessageHolds() throws Exception {
    // JSON escaping may grow a capped message: quotes and newlines double, control characters
    // become six bytes each. The result file must still fit.
    for (String unit : List.of("\"", "\\", "\n", "\u0001", "\u2028", "é", "\uD83D\uDE00")) {
      RunResult r = bigFailure(unit.repeat(5_000));
      r.warn(unit.repeat(5_000));

      String compact = r.toCompactJson();

      assertThat(bytes(compact))
          .as("message of U+%04X", (int) unit.charAt(0))
          .isLessThan(RunResult.COMPACT_LIMIT_BYTES);
      JsonNode n = MAPPER.readTree(compact);
      assertThat(n.path("status").asText()).isEqualTo("Failed");
      assertThat(n.path("error").path("reason").asText()).isEqualTo("MigrationFailed");
    }
  }

  @Test
  void manyLongWarningsAndExtrasAreCutToo() throws Exception {
    RunResult r = new RunResult("lint");
    List<String> findings = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      r.warn("warning " + i + " " + "w".repeat(1000));
      findings.add("finding " + i);
    }
    r.put("findings", findings).put("errorCount", 0);

    String compact = r.toCompactJson();

    assertThat(bytes(compact)).isLessThan(RunResult.COMPACT_LIMIT_BYTES);
    JsonNode n = MAPPER.readTree(compact);
    assertThat(n.path("status").asText()).isEqualTo("Succeeded");
    assertThat(n.path("warnings").size() + n.path("omitted").path("warnings").asInt())
        .isEqualTo(500);
    assertThat(n.path("findings").size() + n.path("omitted").path("findings").asInt())
        .isEqualTo(500);
    assertThat(n.path("errorCount").asInt()).isZero();
  }

  @Test
  void messageIsCappedNearFiveHundredBytes() throws Exception {
    RunResult r = new RunResult("migrate");
    r.fail(Reason.MigrationFailed, "m".repeat(10_000), FailureDetail.NONE);

    String message = MAPPER.readTree(r.toJson()).path("error").path("message").asText();

    assertThat(bytes(message)).isLessThanOrEqualTo(500).isGreaterThan(450);
    assertThat(message).endsWith("...");
  }

  @Test
  void shortMessageIsKeptAsIs() throws Exception {
    RunResult r = new RunResult("migrate");
    String exact = "é".repeat(250); // exactly 500 bytes
    r.fail(Reason.MigrationFailed, exact, FailureDetail.NONE);

    assertThat(MAPPER.readTree(r.toJson()).path("error").path("message").asText()).isEqualTo(exact);
  }

  @Test
  void capCutsOnACharacterBoundary() {
    for (String unit : List.of("é", "日", "\uD83D\uDE00")) {
      for (int shift = 0; shift < 4; shift++) {
        String s = "a".repeat(shift) + unit.repeat(400);

        String capped = RunResult.capBytes(s, RunResult.MESSAGE_LIMIT_BYTES);

        assertThat(bytes(capped)).isLessThanOrEqualTo(RunResult.MESSAGE_LIMIT_BYTES);
        assertThat(wellFormed(capped)).as("%s shifted by %d", unit, shift).isTrue();
        assertThat(capped).endsWith("...");
        String kept = capped.substring(0, capped.length() - 3);
        assertThat(s).startsWith(kept);
        assertThat(bytes(kept)).isGreaterThan(RunResult.MESSAGE_LIMIT_BYTES - 3 - 4);
      }
    }
    assertThat(RunResult.capBytes(null, 10)).isNull();
  }

  @Test
  void errorMessageIsEscaped() throws Exception {
    RunResult r = new RunResult("migrate");
    String message = "syntax error at \"foo\\bar\"\n\tline 2\u0000\u001f\u2028end";
    r.fail(Reason.MigrationFailed, message, FailureDetail.NONE);

    String json = r.toJson();

    assertThat(json).doesNotContain("\n").doesNotContain("\u2028").doesNotContain("\u0000");
    assertThat(MAPPER.readTree(json).path("error").path("message").asText()).isEqualTo(message);
    assertThat(MAPPER.readTree(r.toCompactJson()).path("error").path("message").asText())
        .isEqualTo(message);
  }

  @Test
  void exitCodesFollowTheReason() {
    assertThat(new RunResult("x").exitCode()).isZero();
    assertThat(new RunResult("x").fail(Reason.ValidationFailed, "m", null).exitCode()).isEqualTo(4);
    assertThat(new RunResult("x").fail(Reason.DowngradeRefused, "m", null).exitCode()).isEqualTo(8);
    assertThat(new RunResult("x").fail(Reason.InternalError, "m", null).exitCode()).isEqualTo(70);
  }
}
