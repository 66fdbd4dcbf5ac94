package io.schemagate.operator.logging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * The lowest level each logger writes: a default, and levels for logger names and their children
 * ({@code level.io.fabric8=warn}). Read from {@value #RESOURCE} on the class path (the sandbox
 * quietens libraries with one; the operator has none) and {@value #ENV}, which sets the default.
 */
final class LogLevels {
  static final String RESOURCE = "schemagate-logging.properties";
  static final String ENV = "SCHEMAGATE_LOG_LEVEL";

  /** A threshold above every level: nothing is written. */
  static final int OFF = Integer.MAX_VALUE;

  /** Thresholds as {@link Level#toInt()}: a call is written when its level is at least this. */
  private final int defaultLevel;

  private final Map<String, Integer> byName;

  LogLevels(int defaultLevel, Map<String, Integer> byName) {
    this.defaultLevel = defaultLevel;
    this.byName = Map.copyOf(byName);
  }

  /** From the class path's resource and the environment; a bad value is reported by main. */
  static LogLevels load(ClassLoader loader, Map<String, String> env) {
    Properties p = new Properties();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return of(p, env.get(ENV));
  }

  static LogLevels of(Properties p, String envLevel) {
    int defaultLevel = Level.INFO.toInt();
    Map<String, Integer> byName = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      int level = parseOr(p.getProperty(key), Level.INFO.toInt());
      if (key.equals("level")) {
        defaultLevel = level;
      } else if (key.startsWith("level.")) {
        byName.put(key.substring("level.".length()), level);
      }
    }
    if (envLevel != null && !envLevel.isBlank()) {
      defaultLevel = parseOr(envLevel, defaultLevel);
    }
    return new LogLevels(defaultLevel, byName);
  }

  /** The threshold of {@code logger}: its own, its nearest parent's, or the default. */
  int thresholdOf(String logger) {
    String name = logger;
    while (true) {
      if (byName.containsKey(name)) {
        return byName.get(name);
      }
      int dot = name.lastIndexOf('.');
      if (dot < 0) {
        return defaultLevel;
      }
      name = name.substring(0, dot);
    }
  }

  /**
   * The threshold of {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error} or
   * {@code off}.
   */
  static int parse(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.equals("OFF")) {
      return OFF;
    }
    try {
      return Level.valueOf(v).toInt();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown log level \"" + value + "\": expected trace, debug, info, warn, error or off");
    }
  }

  private static int parseOr(String value, int fallback) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }
}
