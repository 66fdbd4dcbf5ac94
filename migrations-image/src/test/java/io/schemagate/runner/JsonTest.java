package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.runner.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String roundTrip(String s) throws Exception {
    return MAPPER.readTree(Json.write(s)).asText();
  }

  @Test
  void quotesAndBackslashesAreEscaped() throws Exception {
    String s = "say \"hi\" to C:\\temp\\ and \\\" too";

    assertThat(Json.write(s)).isEqualTo("\"say \\\"hi\\\" to C:\\\\temp\\\\ and \\\\\\\" too\"");
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void everyControlCharacterIsEscaped() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    all.append('\u007f');
    String json = Json.write(all.toString());

    for (char c = 0; c < 0x20; c++) {
      assertThat(json.indexOf(c)).as("raw U+%04X", (int) c).isEqualTo(-1);
    }
    assertThat(json).contains("\\n").contains("\\r").contains("\\t").contains("\\u0000");
    assertThat(roundTrip(all.toString())).isEqualTo(all.toString());
  }

  @Test
  void lineAndParagraphSeparatorsAreEscaped() throws Exception {
    String s = "a\u2028b\u2029c";

    assertThat(Json.write(s)).isEqualTo("\"a\\u2028b\\u2029c\"");
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void nonAsciiIsKept() throws Exception {
    String s = "Grüße 日本語 \uD83D\uDE00";

    assertThat(Json.write(s)).isEqualTo("\"" + s + "\"");
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void valuesOfEveryKind() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("null", null);
    m.put("int", 1);
    m.put("long", 9_000_000_000L);
    m.put("double", 1.5);
    m.put("nan", Double.NaN);
    m.put("inf", Double.POSITIVE_INFINITY);
    m.put("bool", true);
    m.put("list", Arrays.asList(1, null, "x"));
    m.put("empty", List.of());
    m.put("reason", Reason.LockTimeout);
    m.put("key \"quoted\"\n", "v");

    String json = Json.write(m);
    JsonNode n = MAPPER.readTree(json);

    assertThat(n.path("null").isNull()).isTrue();
    assertThat(n.path("long").asLong()).isEqualTo(9_000_000_000L);
    assertThat(n.path("double").asDouble()).isEqualTo(1.5);
    assertThat(n.path("nan").isNull()).isTrue();
    assertThat(n.path("inf").isNull()).isTrue();
    assertThat(n.path("bool").asBoolean()).isTrue();
    assertThat(n.path("list").toString()).isEqualTo("[1,null,\"x\"]");
    assertThat(n.path("empty").size()).isZero();
    assertThat(n.path("reason").asText()).isEqualTo("LockTimeout");
    assertThat(n.path("key \"quoted\"\n").asText()).isEqualTo("v");
    assertThat(Json.write(Map.of())).isEqualTo("{}");
  }
}
