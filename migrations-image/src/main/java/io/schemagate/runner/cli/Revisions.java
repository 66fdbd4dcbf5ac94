package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import org.flywaydb.core.api.MigrationVersion;

/** Revision arguments as users type them. */
final class Revisions {
  private Revisions() {}

  /** Parses a version such as {@code 5} or {@code 2.1}; null or blank stays null. */
  static MigrationVersion parse(String option, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (!text.trim().matches("[0-9]+(?:[._][0-9]+)*")) {
      throw new RunnerException(
          Reason.ConfigurationInvalid,
          option + ": '" + text + "' is not a revision (expected e.g. 5 or 2.1)");
    }
    return MigrationVersion.fromVersion(text.trim());
  }

  /** Like {@link #parse}, but {@code 0} and {@code base} mean "before every migration" (null). */
  static MigrationVersion parseUndoTarget(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("base") || t.matches("0+(?:[._]0+)*")) {
      return null;
    }
    return parse("--target", t);
  }
}
