package io.schemagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A psql driver script that includes every V file in version order, one transaction per file. */
final class PsqlScript {

  private PsqlScript() {}

  static Path write(Path file, FlywayFolder migrations) {
    StringBuilder script = new StringBuilder();
    for (Path versioned : migrations.versionedFiles()) {
      script.append("BEGIN;\n");
      script.append("\\i '").append(versioned.toAbsolutePath()).append("'\n");
      script.append("COMMIT;\n");
    }
    try {
      Files.writeString(file, script.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
