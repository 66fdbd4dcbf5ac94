package io.schemagate.operator.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

/** How a log line is written: {@code text} for people, {@code json} for log pipelines. */
public enum LogFormat {
  /**
   * slf4j-simple's default line, which the operator wrote before it had a format of its own: {@code
   * [thread] LEVEL logger - message}, then the stack trace.
   */
  TEXT {
    @Override
    String format(LogEvent e) {
      StringBuilder line =
          new StringBuilder(64 + e.message().length())
              .append('[')
              .append(e.thread())
              .append("] ")
              .append(e.level().name())
              .append(' ')
              .append(e.logger())
              .append(" - ")
              .append(e.message())
              .append(System.lineSeparator());
      if (e.error() != null) {
        line.append(stackTrace(e.error()));
      }
      return line.toString();
    }
  },
  /** One JSON object per line, whatever the message holds (quotes, newlines, stack traces). */
  JSON {
    @Override
    String format(LogEvent e) {
      return JsonLine.of(e) + System.lineSeparator();
    }
  };

  /** The event as written: whole lines, each ending with a line separator. */
  abstract String format(LogEvent e);

  /** {@code text} or {@code json}, in any case. */
  public static LogFormat parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              "unknown log format \"" + value + "\": expected text or json");
    };
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    try (PrintWriter w = new PrintWriter(out)) {
      t.printStackTrace(w);
    }
    return out.toString();
  }
}
