package io.schemagate.runner.engine;

import io.schemagate.runner.engine.MigrationFileName.Kind;
import java.nio.file.Path;
import org.flywaydb.core.api.MigrationVersion;

/**
 * One migration file of a bundle: its parsed name, where it lives, its Flyway checksum and its raw
 * text (placeholders not yet replaced; Flyway checksums the raw text too).
 */
public record MigrationScript(
    MigrationFileName name, String script, Path path, String text, int checksum) {

  public Kind kind() {
    return name.kind();
  }

  public MigrationVersion version() {
    return name.version();
  }

  public String versionText() {
    return name.versionText();
  }

  public String description() {
    return name.description();
  }

  /** How progress lines and messages name this migration: {@code V3 lowercase user emails}. */
  public String label() {
    return switch (kind()) {
      case VERSIONED -> "V" + versionText() + " " + description();
      case UNDO -> "U" + versionText() + " " + description();
      case REPEATABLE -> "R " + description();
    };
  }
}
