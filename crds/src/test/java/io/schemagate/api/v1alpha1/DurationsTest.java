package io.schemagate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsSingleAndCombinedParts() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("0")).isZero();
  }

  @Test
  void rejectsWhatTheRunnerWouldNotRead() {
    for (String bad : new String[] {"", "10", "1.5h", "10 s", "-5s", "5d", "10S", "s"}) {
      assertThat(Durations.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> Durations.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected e.g.");
    }
    assertThat(Durations.isValid(null)).isFalse();
  }
}
