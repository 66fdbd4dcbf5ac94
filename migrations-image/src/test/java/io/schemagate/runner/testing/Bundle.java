package io.schemagate.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A folder of migration files written by a test. */
public record Bundle(Path dir) {

  public Bundle file(String name, String sql) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, sql, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of the sample bundle in {@code examples/bundle/sql} (accounts, V1 to V7 with their undo
   * scripts) in {@code dir}, for tests that edit it.
   */
  public static Bundle exampleIn(Path dir) {
    Path example = Path.of("..", "examples", "bundle", "sql").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(example)) {
      Files.createDirectories(dir);
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
      return new Bundle(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The roll-forward's bundle, as its image ({@code examples/roll-forward/Dockerfile}, built FROM
   * the example bundle's) holds it: a copy of {@code examples/bundle/sql} with {@code
   * examples/roll-forward/sql} (V8 and U8) copied over it, in {@code dir}.
   */
  public static Bundle rollForwardIn(Path dir) {
    Bundle bundle = exampleIn(dir);
    Path rollForward =
        Path.of("..", "examples", "roll-forward", "sql").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(rollForward)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      return bundle;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Bundle delete(String name) {
    try {
      Files.delete(dir.resolve(name));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String location() {
    return dir.toString();
  }

  /** A small app schema: users, then a column, then an index, each with its undo script. */
  public Bundle threeVersions() {
    return file(
            "V1__create_users.sql",
            "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now());\n"
                + "INSERT INTO users (email) VALUES ('Ada@Example.com'), ('bob@example.com');\n")
        .file("U1__create_users.sql", "DROP TABLE users;\n")
        .file(
            "V2__add_full_name.sql",
            "ALTER TABLE users ADD COLUMN full_name TEXT;\n"
                + "UPDATE users SET full_name = split_part(email, '@', 1);\n")
        .file("U2__add_full_name.sql", "ALTER TABLE users DROP COLUMN full_name;\n")
        .file("V3__lowercase_emails.sql", "UPDATE users SET email = lower(email);\n")
        .file("U3__lowercase_emails.sql", "SELECT 1;\n");
  }
}
