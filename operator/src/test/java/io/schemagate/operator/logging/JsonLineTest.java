package io.schemagate.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class JsonLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant TIME = Instant.parse("2026-12-06T15:04:05.007Z");

  @Test
  void aLineHasTheTimeInUtcTheLevelLoggerThreadAndMessage() throws Exception {
    String line = LogFormat.JSON.format(event("SchemaMigration(shop/orders): Running", null));

    assertThat(line).endsWith(System.lineSeparator()).hasLineCount(1);
    JsonNode n = JSON.readTree(line);
    assertThat(n.path("time").asText()).isEqualTo("2026-12-06T15:04:05.007Z");
    assertThat(n.path("level").asText()).isEqualTo("INFO");
    assertThat(n.path("logger").asText()).isEqualTo("io.schemagate.operator.X");
    assertThat(n.path("thread").asText()).isEqualTo("reconciler-1");
    assertThat(n.path("message").asText()).isEqualTo("SchemaMigration(shop/orders): Running");
    assertThat(n.has("error")).isFalse();
  }

  @Test
  void quotesNewlinesControlCharactersAndAnyUnicodeStayOneValidLine() throws Exception {
    String nasty =
        "say \"hi\"\\ \n\r\t\b\f\u0000\u001b[31m red \u007f é 日本 \uD83D\uDE00 lone \uD800 end";

    String line = LogFormat.JSON.format(event(nasty, null));

    assertThat(line).hasLineCount(1);
    assertThat(line.strip()).as("ASCII only, whatever the stream's charset").matches("[ -~]*");
    assertThat(JSON.readTree(line).path("message").asText()).isEqualTo(nasty);
  }

  @Test
  void anExceptionIsItsClassMessageAndStackTraceWithCauses() throws Exception {
    IllegalStateException e =
        new IllegalStateException("outer \"x\"", new java.io.IOException("inner\nline"));

    JsonNode error = JSON.readTree(LogFormat.JSON.format(event("failed", e))).path("error");

    assertThat(error.path("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.path("message").asText()).isEqualTo("outer \"x\"");
    assertThat(error.path("stack").asText())
        .startsWith("java.lang.IllegalStateException: outer \"x\"")
        .contains("\tat io.schemagate.operator.logging.JsonLineTest.")
        .contains("Caused by: java.io.IOException: inner\nline");
    JsonNode noMessage =
        JSON.readTree(LogFormat.JSON.format(event("failed", new RuntimeException())));
    assertThat(noMessage.path("error").path("message").isNull()).isTrue();
  }

  @Test
  void textIsTheLineSlf4jSimpleWrote() {
    RuntimeException e = new RuntimeException("boom");

    assertThat(LogFormat.TEXT.format(event("started", null)))
        .isEqualTo(
            "[reconciler-1] INFO io.schemagate.operator.X - started" + System.lineSeparator());
    assertThat(LogFormat.TEXT.format(event("failed", e)))
        .startsWith(
            "[reconciler-1] INFO io.schemagate.operator.X - failed"
                + System.lineSeparator()
                + "java.lang.RuntimeException: boom"
                + System.lineSeparator()
                + "\tat ");
  }

  private static LogEvent event(String message, Throwable error) {
    return new LogEvent(
        TIME, Level.INFO, "io.schemagate.operator.X", "reconciler-1", message, error);
  }
}
