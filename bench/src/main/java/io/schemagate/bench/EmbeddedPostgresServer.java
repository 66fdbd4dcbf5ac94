package io.schemagate.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * zonky's embedded PostgreSQL 17, for machines without a startable PostgreSQL of their own. It
 * cannot run as root (initdb refuses).
 */
final class EmbeddedPostgresServer implements PostgresServer {

  private static final String USER = "bench";

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  static EmbeddedPostgresServer start() {
    if ("root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "the embedded PostgreSQL cannot run as root (initdb refuses); use --postgres debian");
    }
    String password = UUID.randomUUID().toString();
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(FreePort.find()).start();
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE ROLE " + USER + " SUPERUSER LOGIN PASSWORD '" + password + "'");
      }
      return new EmbeddedPostgresServer(postgres, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the bench role: " + e.getMessage(), e);
    }
  }

  @Override
  public int port() {
    return postgres.getPort();
  }

  @Override
  public String user() {
    return USER;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public String description() {
    return "embedded PostgreSQL (io.zonky.test), 127.0.0.1:" + port();
  }

  @Override
  public Optional<Path> psql() {
    // zonky ships no psql: use one from PATH for the floor
    String path = System.getenv().getOrDefault("PATH", "");
    try (Stream<String> dirs = Stream.of(path.split(java.io.File.pathSeparator))) {
      return dirs.filter(dir -> !dir.isEmpty())
          .map(dir -> Paths.get(dir, "psql"))
          .filter(Files::isExecutable)
          .findFirst();
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
