package io.schemagate.api.v1alpha1;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A migration revision in Flyway's version order, as the gate compares a Deployment's {@code
 * schemagate.io/requires-revision} with {@code status.currentRevision}.
 *
 * <p>A revision is one or more numbers separated by {@code .} or {@code _} ({@link
 * SpecLimits#REVISION_PATTERN}); {@code _} and {@code .} are the same separator ({@code 1_2} is
 * {@code 1.2}). The numbers compare left to right as unbounded non-negative integers ({@code 1.10}
 * is above {@code 1.9}; {@code 01.2} is {@code 1.2}), and a missing number counts as zero, so
 * trailing zero numbers change nothing ({@code 1.0} equals {@code 1}), exactly as Flyway's {@code
 * MigrationVersion} orders and compares versions.
 *
 * <p>Stricter than Flyway: a sign ({@code +1}, {@code -1}), non-ASCII digits and Flyway's words
 * {@code latest}, {@code current} and {@code next} are not revisions (Flyway accepts them; no
 * migration file the runner reads has such a version). Flyway also reads the exact text {@code
 * 9223372036854775807} as its "latest" marker, above every version; here it is that number.
 */
public final class Revision implements Comparable<Revision> {
  private static final Pattern FORM = Pattern.compile(SpecLimits.REVISION_PATTERN);
  private static final Pattern SEPARATOR = Pattern.compile("[._]");

  private final String text;

  /** The numbers without trailing zeros, never empty: equal revisions have equal lists. */
  private final List<BigInteger> numbers;

  private Revision(String text, List<BigInteger> numbers) {
    this.text = text;
    this.numbers = numbers;
  }

  /**
   * Reads a revision such as {@code 5}, {@code 1.2.3} or {@code 2_1}; no whitespace around it.
   *
   * @throws IllegalArgumentException naming the text, when it is not a revision
   */
  public static Revision parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid revision '"
              + text
              + "' (expected numbers separated by dots or underscores, e.g. 5, 1.2 or 2_1)");
    }
    List<BigInteger> numbers = new ArrayList<>();
    for (String part : SEPARATOR.split(text)) {
      numbers.add(new BigInteger(part));
    }
    int end = numbers.size();
    while (end > 1 && numbers.get(end - 1).signum() == 0) {
      end--;
    }
    return new Revision(text, List.copyOf(numbers.subList(0, end)));
  }

  /** Whether this revision is {@code required} or a later one. */
  public boolean isAtLeast(Revision required) {
    return compareTo(required) >= 0;
  }

  @Override
  public int compareTo(Revision other) {
    int length = Math.max(numbers.size(), other.numbers.size());
    for (int i = 0; i < length; i++) {
      int c = numberAt(i).compareTo(other.numberAt(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private BigInteger numberAt(int i) {
    return i < numbers.size() ? numbers.get(i) : BigInteger.ZERO;
  }

  /** Equal when they compare equal: {@code 1.0}, {@code 1} and {@code 01} are one revision. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Revision r && numbers.equals(r.numbers);
  }

  @Override
  public int hashCode() {
    return numbers.hashCode();
  }

  /** The text as it was written ({@code 1_2} stays {@code 1_2}), for messages users recognise. */
  @Override
  public String toString() {
    return text;
  }
}
