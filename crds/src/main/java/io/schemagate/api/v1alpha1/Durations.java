package io.schemagate.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration strings of the API ({@code timeout}, {@code lockTimeout}, {@code retry.*}): one or
 * more number+unit parts, {@code 500ms}, {@code 10s}, {@code 1h30m}; the format the runner's {@code
 * --lock-timeout} reads too.
 */
public final class Durations {
  /** The OpenAPI pattern of every duration field. */
  public static final String PATTERN = "^(0|([0-9]{1,9}(ms|s|m|h))+)$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private Durations() {}

  /** Whether {@code text} is a duration in the API's format. */
  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /**
   * Parses a duration in the API's format.
   *
   * @throws IllegalArgumentException naming the expected format
   */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException(
          "invalid duration '" + text + "' (expected e.g. 500ms, 10s, 5m, 1h30m)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
    }
    return total;
  }
}
