package io.schemagate.runner.engine;

import io.schemagate.runner.engine.MigrationFileName.Kind;
import io.schemagate.runner.sql.SqlFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import org.flywaydb.core.api.MigrationVersion;

/**
 * One migration file of a bundle: its parsed name, where it lives, its size and its Flyway checksum
 * (of the raw text, placeholders not replaced, as Flyway computes it). The text itself is read when
 * the script runs, not kept: a bundle may hold files far larger than the heap.
 */
public record MigrationScript(
    MigrationFileName name, String script, Path path, long size, int checksum) {

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

  /** The file's text, streamed; strictly UTF-8. */
  public Reader open() throws IOException {
    return SqlFile.open(path);
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
