package io.schemagate.runner.engine;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A migration file name in Flyway's convention: {@code V<version>__<description>.sql}, undo scripts
 * {@code U<version>__<description>.sql}, repeatable {@code R__<description>.sql}. The description
 * is what Flyway stores in its history table: underscores become spaces.
 */
public record MigrationFileName(
    Kind kind, String fileName, MigrationVersion version, String description) {

  /** What a migration file does. */
  public enum Kind {
    VERSIONED,
    UNDO,
    REPEATABLE
  }

  private static final Pattern BARE_VERSION =
      Pattern.compile("([VU])([0-9]+(?:[._][0-9]+)*)\\.sql");

  private static final Pattern NAME =
      Pattern.compile("(?<prefix>[VUR])(?<version>[^_]*(?:_(?!_)[^_]*)*)__(?<desc>.*)\\.sql");

  /**
   * Parses a file name; empty when the name is not a migration name at all (other files in the
   * folder are ignored, as Flyway does).
   *
   * @throws IllegalArgumentException when the name looks like a migration but is malformed (a
   *     versioned file without a valid version, or a repeatable one with a version)
   */
  public static Optional<MigrationFileName> parse(String fileName) {
    Matcher bare = BARE_VERSION.matcher(fileName);
    if (bare.matches()) {
      // Flyway applies V2.sql as version 2 with an empty description.
      Kind kind = bare.group(1).equals("V") ? Kind.VERSIONED : Kind.UNDO;
      return Optional.of(
          new MigrationFileName(kind, fileName, MigrationVersion.fromVersion(bare.group(2)), ""));
    }
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    String prefix = m.group("prefix");
    String rawVersion = m.group("version");
    String description = m.group("desc").replace('_', ' ');
    if (prefix.equals("R")) {
      if (!rawVersion.isEmpty()) {
        throw new IllegalArgumentException(
            fileName + ": a repeatable migration has no version (R__<description>.sql)");
      }
      return Optional.of(new MigrationFileName(Kind.REPEATABLE, fileName, null, description));
    }
    if (rawVersion.isEmpty() || !rawVersion.matches("[0-9]+(?:[._][0-9]+)*")) {
      throw new IllegalArgumentException(
          fileName
              + ": invalid version '"
              + rawVersion
              + "' (expected digits separated by dots or single underscores, e.g. V2_1__add_index.sql)");
    }
    Kind kind = prefix.equals("V") ? Kind.VERSIONED : Kind.UNDO;
    return Optional.of(
        new MigrationFileName(
            kind, fileName, MigrationVersion.fromVersion(rawVersion), description));
  }

  /** The version as Flyway prints and stores it ({@code 1.2} for {@code V1_2__x.sql}). */
  public String versionText() {
    return version == null ? null : version.getVersion();
  }

  /**
   * A slug usable in a file name, from free text: {@code "Add user email!"} → {@code
   * add_user_email}.
   */
  public static String slug(String description) {
    String s =
        description
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "migration" : s;
  }
}
