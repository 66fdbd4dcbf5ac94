package io.schemagate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** Revisions order, compare and reject text as Flyway's {@code MigrationVersion} does. */
class RevisionTest {
  private static final long SEED = 20_251_003L;

  /** Pairs and how the first compares with the second: -1, 0 or 1. */
  private static final Object[][] ORDERED = {
    {"1", "2", -1},
    {"1.9", "1.10", -1},
    {"1.10", "1.9", 1},
    {"2", "1.999", 1},
    {"1.2.3", "1.3", -1},
    {"1.2", "1.2.1", -1},
    {"1_2", "1.2", 0},
    {"1_2_3", "1.2_3", 0},
    {"01.2", "1.2", 0},
    {"1.02", "1.2", 0},
    {"007", "7", 0},
    {"1.0", "1", 0},
    {"1.0.0", "1", 0},
    {"1.0.1", "1", 1},
    {"1.00", "1_0", 0},
    {"0", "0.0", 0},
    {"0", "0.0.1", -1},
    {"0.1", "0", 1},
    {"2024_10_03", "2024.10.3", 0},
    {"20251003120000", "20251003115959", 1},
    {"18446744073709551616", "18446744073709551615", 1},
    {"1.18446744073709551616", "1.18446744073709551615.9", 1},
    {"9223372036854775806", "9223372036854775805", 1},
  };

  /** Text that is no version: Flyway refuses it, and so must we. */
  private static final String[] MALFORMED = {
    "",
    " ",
    "a",
    "1a",
    "v1",
    "V1",
    "1.a",
    "1..2",
    "1__2",
    "1._2",
    "1_.2",
    ".1",
    "_1",
    "1.",
    "1_",
    ".",
    "_",
    " 1",
    "1 ",
    "1 .2",
    "1. 2",
    "\t1",
    "1\n",
    "1,2",
    "1-2",
    "1/2",
    "1.2-SNAPSHOT",
    "0x10",
    "1e3",
    "½",
  };

  /** Accepted by Flyway, but no revision here (see the class's Javadoc). */
  private static final String[] STRICTER_THAN_FLYWAY = {
    "+1", "-1", "-1.2", "latest", "LATEST", "current", "next", "\u0661", "\u0661.2", "1.2\u0663",
  };

  @Test
  void handPickedPairsOrderAndCompareAsFlywayDoes() {
    for (Object[] row : ORDERED) {
      String a = (String) row[0];
      String b = (String) row[1];
      int expected = (Integer) row[2];

      assertThat(flywaySign(a, b)).as("Flyway: %s vs %s", a, b).isEqualTo(expected);
      assertAgreesWithFlyway(a, b);
      assertThat(Integer.signum(Revision.parse(a).compareTo(Revision.parse(b))))
          .as("%s vs %s", a, b)
          .isEqualTo(expected);
    }
  }

  @Test
  void trailingZerosDoNotMakeAnotherRevision() {
    Revision one = Revision.parse("1");

    assertThat(Revision.parse("1.0")).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(Revision.parse("1.0.0_0")).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(Revision.parse("01")).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(Revision.parse("1.0.1")).isNotEqualTo(one);
    assertThat(MigrationVersion.fromVersion("1.0")).isEqualTo(MigrationVersion.fromVersion("1"));
  }

  @Test
  void malformedTextIsRefusedByFlywayAndByUsNamingTheText() {
    for (String text : MALFORMED) {
      assertThat(flyway(text)).as("Flyway reads '%s'", text).isEmpty();
      assertThatThrownBy(() -> Revision.parse(text))
          .as("'%s'", text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "invalid revision '"
                  + text
                  + "' (expected numbers separated by dots or underscores, e.g. 5, 1.2 or 2_1)");
    }
  }

  @Test
  void nullIsNoRevision() {
    assertThatThrownBy(() -> Revision.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid revision 'null'");
  }

  @Test
  void signsNonAsciiDigitsAndFlywaysWordsAreRefusedThoughFlywayReadsThem() {
    for (String text : STRICTER_THAN_FLYWAY) {
      assertThat(flyway(text)).as("Flyway reads '%s'", text).isPresent();
      assertThatThrownBy(() -> Revision.parse(text))
          .as("'%s'", text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + text + "'");
    }
  }

  @Test
  void flywaysLatestMarkerTextIsAnOrdinaryNumberHere() {
    // Flyway reads this exact text as "latest", above every version; it is a number like any other.
    String max = Long.toString(Long.MAX_VALUE);

    assertThat(flywaySign(max, "9223372036854775808")).isEqualTo(1);
    assertThat(Revision.parse(max).compareTo(Revision.parse("9223372036854775808"))).isNegative();
    assertThat(Revision.parse(max)).isEqualTo(Revision.parse("0" + max));
  }

  @Test
  void textIsKeptAsWritten() {
    assertThat(Revision.parse("1_2")).hasToString("1_2");
    assertThat(Revision.parse("01.2.0")).hasToString("01.2.0");
    assertThat(Revision.parse("5")).hasToString("5");
  }

  @Test
  void aRevisionIsAtLeastItselfAndEveryEarlierOne() {
    Revision current = Revision.parse("1.10");

    assertThat(current.isAtLeast(Revision.parse("1.10.0"))).isTrue();
    assertThat(current.isAtLeast(Revision.parse("1.9"))).isTrue();
    assertThat(current.isAtLeast(Revision.parse("1_10_1"))).isFalse();
    assertThat(current.isAtLeast(Revision.parse("2"))).isFalse();
  }

  @Test
  void randomVersionPairsCompareAsFlywayCompares() {
    Random random = new Random(SEED);
    int equalPairs = 0;
    for (int i = 0; i < 5_000; i++) {
      String a = randomVersion(random);
      String b = random.nextInt(4) == 0 ? spelledDifferently(a, random) : randomVersion(random);

      assertAgreesWithFlyway(a, b);
      if (Revision.parse(a).equals(Revision.parse(b))) {
        equalPairs++;
      }
    }
    assertThat(equalPairs).as("pairs that were equal, so equality was tried").isGreaterThan(1_000);
  }

  @Test
  void randomTextIsReadExactlyWhenFlywayReadsIt() {
    Random random = new Random(SEED);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = randomText(random);
      Optional<MigrationVersion> theirs = flyway(text);
      Optional<Revision> ours = ours(text);

      if (theirs.isEmpty()) {
        assertThat(ours).as("Flyway refuses '%s' (seed %s, #%s)", text, SEED, i).isEmpty();
      } else if (ours.isEmpty()) {
        assertThat(text)
            .as("refused, though Flyway reads it (seed %s, #%s)", SEED, i)
            .matches("[+-].*");
      } else {
        accepted++;
        assertThat(ours.get().toString()).isEqualTo(text);
      }
    }
    assertThat(accepted).as("texts both read, so reading was tried").isGreaterThan(2_000);
  }

  /** Both orders agree in sign with Flyway, and so do equality and, for equal ones, hash codes. */
  private static void assertAgreesWithFlyway(String a, String b) {
    Revision ra = Revision.parse(a);
    Revision rb = Revision.parse(b);
    String pair = a + " vs " + b + " (seed " + SEED + ")";

    assertThat(Integer.signum(ra.compareTo(rb))).as(pair).isEqualTo(flywaySign(a, b));
    assertThat(Integer.signum(rb.compareTo(ra))).as(pair).isEqualTo(flywaySign(b, a));
    boolean flywayEqual = MigrationVersion.fromVersion(a).equals(MigrationVersion.fromVersion(b));
    assertThat(ra.equals(rb)).as(pair).isEqualTo(flywayEqual);
    if (flywayEqual) {
      assertThat(ra.hashCode()).as(pair).isEqualTo(rb.hashCode());
    }
  }

  private static int flywaySign(String a, String b) {
    return Integer.signum(
        MigrationVersion.fromVersion(a).compareTo(MigrationVersion.fromVersion(b)));
  }

  private static Optional<MigrationVersion> flyway(String text) {
    try {
      return Optional.of(MigrationVersion.fromVersion(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Revision> ours(String text) {
    try {
      return Optional.of(Revision.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A well-formed version: one to five numbers, mostly short so that pairs often collide, with
   * leading zeros, trailing zero numbers, either separator and now and then a number past 2^64.
   */
  private static String randomVersion(Random random) {
    int count = 1 + random.nextInt(5);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        text.append(random.nextBoolean() ? '.' : '_');
      }
      text.append(randomNumber(random, i > 0 && random.nextInt(3) == 0));
    }
    return text.toString();
  }

  private static String randomNumber(Random random, boolean zero) {
    String zeros = "0".repeat(random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0);
    if (zero) {
      return zeros + "0";
    }
    if (random.nextInt(50) == 0) {
      StringBuilder big = new StringBuilder().append(1 + random.nextInt(9));
      for (int i = 20 + random.nextInt(20); i > 0; i--) {
        big.append(random.nextInt(10));
      }
      return zeros + big;
    }
    return zeros + random.nextInt(12);
  }

  /** The same version written another way: other separators, leading zeros, trailing zeros. */
  private static String spelledDifferently(String version, Random random) {
    List<String> numbers = new ArrayList<>(List.of(version.split("[._]")));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < numbers.size(); i++) {
      if (i > 0) {
        text.append(random.nextBoolean() ? '.' : '_');
      }
      text.append(random.nextBoolean() ? "0" : "").append(numbers.get(i));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      text.append(random.nextBoolean() ? ".0" : "_00");
    }
    return text.toString();
  }

  /** Short text over digits, both separators and a few characters no version holds. */
  private static String randomText(Random random) {
    String alphabet = "0123456789012345678901234567890123456789._._._a +-";
    int length = random.nextInt(8);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
