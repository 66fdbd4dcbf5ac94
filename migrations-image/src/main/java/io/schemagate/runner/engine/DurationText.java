package io.schemagate.runner.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in options and manifests: {@code 500ms}, {@code 10s}, {@code
 * 1m30s}, {@code 2h}.
 */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationText() {}

  /**
   * Parses a Kubernetes-style duration (one or more number+unit parts).
   *
   * @throws IllegalArgumentException with a message naming the expected format
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (s.isEmpty() || end != s.length()) {
      throw new IllegalArgumentException(
          "invalid duration '" + text + "' (expected e.g. 500ms, 10s, 5m, 1h30m)");
    }
    return total;
  }

  /** The shortest form that {@link #parse} reads back. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }

  /** A measured time for messages, to a tenth of a second: {@code 4.1s}, {@code 0.3s}. */
  public static String formatElapsed(Duration d) {
    long tenths = (d.toMillis() + 50) / 100;
    return tenths / 10 + "." + tenths % 10 + "s";
  }
}
