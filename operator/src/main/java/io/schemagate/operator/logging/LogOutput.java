package io.schemagate.operator.logging;

import java.io.PrintStream;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Where every logger of the process writes: standard error, in the process's one format. The format
 * is chosen at start-up ({@link LogSettings#apply()}), after the first loggers exist, so it is read
 * on every line; so is {@code System.err}, as slf4j-simple did (tests redirect it).
 */
public final class LogOutput {
  /** Held while a line is formatted and written: lines never interleave, nor mix formats. */
  private static final Object LOCK = new Object();

  private static volatile LogFormat format = initialFormat(System.getenv());

  private LogOutput() {}

  /** The format of every line from now on (none written in the old one once this returns). */
  public static void use(LogFormat f) {
    synchronized (LOCK) {
      format = f;
    }
  }

  public static LogFormat format() {
    return format;
  }

  /**
   * Every logger at {@code level} ({@code info}, ...), whatever the class path's levels say, until
   * the returned handle is closed: for a test that runs the operator, at the levels it has in its
   * image, inside the sandbox, whose levels quieten libraries.
   */
  public static AutoCloseable allAt(String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof SchemaGateLoggerFactory factory)) {
      throw new IllegalStateException("SLF4J is not bound to the operator's logging");
    }
    LogLevels before = factory.levels();
    factory.use(new LogLevels(LogLevels.parse(level), Map.of()));
    return () -> factory.use(before);
  }

  static void write(LogEvent e) {
    synchronized (LOCK) {
      String text;
      try {
        text = format.format(e);
      } catch (RuntimeException formatFailure) {
        // An exception whose getMessage() throws: the line is still written, saying so.
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
      err.print(text);
      err.flush();
    }
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
