package io.schemagate.operator.logging;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A log event as one JSON object on one line. Written by hand, not with Jackson: the logger must
 * work before anything else is loaded and must never fail on what a message holds. Every character
 * outside printable ASCII is escaped, so a line stays valid JSON whatever the stream's charset.
 */
final class JsonLine {
  /** RFC 3339, UTC, always with milliseconds: lines sort and align as text. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonLine() {}

  static String of(LogEvent e) {
    StringBuilder b = new StringBuilder(128 + e.message().length());
    b.append("{\"time\":\"").append(TIME.format(e.time())).append('"');
    field(b, "level", e.level().name());
    field(b, "logger", e.logger());
    field(b, "thread", e.thread());
    field(b, "message", e.message());
    if (e.error() != null) {
      b.append(",\"error\":{\"class\":");
      string(b, e.error().getClass().getName());
      b.append(",\"message\":");
      if (e.error().getMessage() == null) {
        b.append("null");
      } else {
        string(b, e.error().getMessage());
      }
      field(b, "stack", LogFormat.stackTrace(e.error()));
      b.append('}');
    }
    return b.append('}').toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    string(b, value);
  }

  /** {@code value} as a JSON string, quotes included. */
  static void string(StringBuilder b, String value) {
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            b.append(c);
          } else {
            // Control characters, and the rest as UTF-16 units: a lone surrogate stays valid.
            b.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          }
        }
      }
    }
    b.append('"');
  }
}
