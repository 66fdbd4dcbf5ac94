package io.schemagate.runner.verify;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test class, handing out a fresh database to each test. */
final class EmbeddedServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private EmbeddedServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedServer start() throws IOException {
    // Tests create a database each; without fsync that costs milliseconds instead of a second.
    return new EmbeddedServer(EmbeddedPostgres.builder().setServerConfig("fsync", "off").start());
  }

  /** The URL of the server's {@code postgres} database, without credentials. */
  String adminJdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  Connection connectAdmin() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  /** Creates an empty database and returns a connection to it. */
  Connection freshDatabase() throws SQLException {
    String name = "test_" + databases.incrementAndGet();
    try (Connection admin = connectAdmin();
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return postgres.getDatabase("postgres", name).getConnection();
  }

  /** Creates a database holding what {@code script} creates, and returns a connection to it. */
  Connection databaseWith(String script) throws SQLException {
    Connection c = freshDatabase();
    run(c, script);
    return c;
  }

  static void run(Connection c, String script) throws SQLException {
    if (script.isBlank()) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute(script);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
