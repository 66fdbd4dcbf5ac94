package io.schemagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of {@code V<n>__t<n>.sql} files and, optionally, their {@code U<n>__t<n>.sql} undo
 * files.
 */
final class FlywayFolder {

  private final Path dir;
  private final List<Path> versionedFiles;

  private FlywayFolder(Path dir, List<Path> versionedFiles) {
    this.dir = dir;
    this.versionedFiles = versionedFiles;
  }

  static FlywayFolder write(Path dir, int count, boolean withUndo) {
    try {
      Files.createDirectories(dir);
      List<Path> versioned = new ArrayList<>();
      for (int version = 1; version <= count; version++) {
        GeneratedMigration migration = new GeneratedMigration(version);
        Path file = dir.resolve("V" + version + "__" + migration.description() + ".sql");
        Files.writeString(file, migration.upSql());
        versioned.add(file);
        if (withUndo) {
          Files.writeString(
              dir.resolve("U" + version + "__" + migration.description() + ".sql"),
              migration.undoSql());
        }
      }
      return new FlywayFolder(dir, List.copyOf(versioned));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  /** The V files in version order (not name order: versions are not zero-padded). */
  List<Path> versionedFiles() {
    return versionedFiles;
  }
}
