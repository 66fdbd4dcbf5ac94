package io.schemagate.runner;

/** A count with its noun in the right number, as messages write it: {@code 1 error, 2 errors}. */
public final class Plural {
  private Plural() {}

  /** {@code n} and the noun, with an {@code s} unless {@code n} is 1. */
  public static String of(long n, String singular) {
    return of(n, singular, singular + "s");
  }

  /** {@code n} and the noun, for nouns whose plural is not the singular and an {@code s}. */
  public static String of(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
