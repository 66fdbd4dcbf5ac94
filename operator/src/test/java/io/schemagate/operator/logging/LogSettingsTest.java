package io.schemagate.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
  private static final String[] NONE = {};

  @Test
  void textUnlessTheArgumentOrTheEnvironmentSaysJsonAndTheArgumentWins() {
    assertThat(LogSettings.from(NONE, Map.of()).format()).isEqualTo(LogFormat.TEXT);
    assertThat(LogSettings.from(NONE, Map.of("SCHEMAGATE_LOG_FORMAT", "json")).format())
        .isEqualTo(LogFormat.JSON);
    assertThat(LogSettings.from(new String[] {"--log-format", "JSON"}, Map.of()).format())
        .isEqualTo(LogFormat.JSON);
    assertThat(
            LogSettings.from(
                    new String[] {"--log-format=text"}, Map.of("SCHEMAGATE_LOG_FORMAT", "json"))
                .format())
        .isEqualTo(LogFormat.TEXT);
  }

  @Test
  void anUnknownFormatOrLevelIsRefusedNamingWhereItCameFrom() {
    assertThatThrownBy(() -> LogSettings.from(new String[] {"--log-format", "yaml"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--log-format: unknown log format \"yaml\": expected text or json");
    assertThatThrownBy(() -> LogSettings.from(NONE, Map.of("SCHEMAGATE_LOG_FORMAT", "logfmt")))
        .hasMessageStartingWith("SCHEMAGATE_LOG_FORMAT: unknown log format \"logfmt\"");
    assertThatThrownBy(() -> LogSettings.from(new String[] {"--log-format"}, Map.of()))
        .hasMessage("--log-format needs a value: text or json");
    assertThatThrownBy(() -> LogSettings.from(NONE, Map.of("SCHEMAGATE_LOG_LEVEL", "loud")))
        .hasMessage(
            "SCHEMAGATE_LOG_LEVEL: unknown log level \"loud\": expected trace, debug, info, warn,"
                + " error or off");
  }
}
