package io.schemagate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the Alembic version a python can import, with psycopg2 beside it. */
final class AlembicInstallation {

  static final String INSTALL_HINT = "apt-get install -y python3-alembic python3-psycopg2";

  private AlembicInstallation() {}

  /** Alembic's version, or empty if alembic or psycopg2 cannot be imported. */
  static Optional<String> version(Path python) {
    if (!Files.isExecutable(python)) {
      return Optional.empty();
    }
    try {
      String output =
          CommandLine.run(
              List.of(
                  python.toString(), "-c", "import alembic, psycopg2; print(alembic.__version__)"));
      return Optional.of(output.strip());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }
}
