package io.schemagate.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL (embedded, 17.x) shared by one test class; each test takes a fresh database
 * from it so tests stay independent without paying a server start each.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private EmbeddedPostgres pg;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    pg = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  public int port() {
    return pg.getPort();
  }

  /** Creates an empty database owned by the superuser {@code postgres}. */
  public TestDatabase newDatabase() throws SQLException {
    String name = "db" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return new TestDatabase(
        "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name, "postgres", "");
  }

  /**
   * Creates a login role that must authenticate with a password (SCRAM), since the embedded server
   * trusts local connections otherwise.
   */
  public void requirePassword(String role, String password) throws SQLException, IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET password_encryption = 'scram-sha-256'");
      st.execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
      String hbaFile;
      try (var rs = st.executeQuery("SHOW hba_file")) {
        rs.next();
        hbaFile = rs.getString(1);
      }
      Path hba = Path.of(hbaFile);
      String rules =
          "host all "
              + role
              + " 127.0.0.1/32 scram-sha-256\n"
              + "host all "
              + role
              + " ::1/128 scram-sha-256\n";
      Files.writeString(hba, rules + Files.readString(hba, StandardCharsets.UTF_8));
      st.execute("SELECT pg_reload_conf()");
    }
  }

  /** A connection to the server's maintenance database as the superuser. */
  public Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "");
  }
}
