package io.schemagate.operator.logging;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where every logger of the process writes: standard error, in the process's one format. The format
 * is chosen at start-up ({@link LogSettings#apply()}), after the first loggers exist, so it is read
 * on every line; so is {@code System.err}, as slf4j-simple did (tests redirect it).
 */
public final class LogOutput {
  private static volatile LogFormat format = initialFormat(System.getenv());

  private LogOutput() {}

  /** The format of every line from now on. */
  public static void use(LogFormat f) {
    format = f;
  }

  public static LogFormat format() {
    return format;
  }

  static void write(LogEvent e) {
    String text;
    try {
      text = format.format(e);
    } catch (RuntimeException formatFailure) {
      // A message's toString() may throw; the line is still written, saying so.
      text =
          format.format(
              new LogEvent(
                  e.time(),
                  e.level(),
                  e.logger(),
                  e.thread(),
                  "(the message could not be formatted: " + formatFailure + ")",
                  null));
    }
    PrintStream err = System.err;
    // One print per event: lines of two threads never interleave.
    err.print(text);
    err.flush();
  }

  /** The environment's format before main reads its arguments; a bad value is main's to report. */
  static LogFormat initialFormat(Map<String, String> env) {
    String value = env.get(LogSettings.FORMAT_ENV);
    try {
      return value == null || value.isBlank() ? LogFormat.TEXT : LogFormat.parse(value);
    } catch (IllegalArgumentException e) {
      return LogFormat.TEXT;
    }
  }
}
