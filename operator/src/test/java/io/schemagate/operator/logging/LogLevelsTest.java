package io.schemagate.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LogLevelsTest {
  @Test
  void infoByDefaultAsSlf4jSimpleWas() {
    LogLevels levels = LogLevels.of(new Properties(), null);

    assertThat(levels.thresholdOf("io.javaoperatorsdk.operator.Operator"))
        .isEqualTo(Level.INFO.toInt());
  }

  @Test
  void aLoggerTakesItsOwnLevelOrItsNearestParentsAndTheEnvironmentSetsTheDefault() {
    Properties p = new Properties();
    p.setProperty("level", "warn");
    p.setProperty("level.io.fabric8", "error");
    p.setProperty("level.io.fabric8.kubernetes.client.informers", "debug");
    p.setProperty("level.io.javaoperatorsdk", "off");

    LogLevels levels = LogLevels.of(p, "debug");

    assertThat(levels.thresholdOf("io.schemagate.operator.OperatorMain"))
        .isEqualTo(Level.DEBUG.toInt());
    assertThat(levels.thresholdOf("io.fabric8.kubernetes.client.Config"))
        .isEqualTo(Level.ERROR.toInt());
    assertThat(levels.thresholdOf("io.fabric8.kubernetes.client.informers.impl.Watcher"))
        .isEqualTo(Level.DEBUG.toInt());
    assertThat(levels.thresholdOf("io.fabric8x.Other")).isEqualTo(Level.DEBUG.toInt());
    assertThat(levels.thresholdOf("io.javaoperatorsdk.operator.Operator")).isEqualTo(LogLevels.OFF);
    assertThat(LogLevels.of(p, null).thresholdOf("x")).isEqualTo(Level.WARN.toInt());
  }

  @Test
  void allAtSetsEveryLoggerOldAndNewUntilClosed() throws Exception {
    Logger existing = LoggerFactory.getLogger("io.schemagate.test.Existing");
    assertThat(existing.isInfoEnabled()).isTrue();

    try (AutoCloseable quiet = LogOutput.allAt("error")) {
      assertThat(existing.isWarnEnabled()).isFalse();
      assertThat(existing.isErrorEnabled()).isTrue();
      assertThat(LoggerFactory.getLogger("io.schemagate.test.New").isWarnEnabled()).isFalse();
    }

    assertThat(existing.isInfoEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.schemagate.test.New").isInfoEnabled()).isTrue();
  }
}
