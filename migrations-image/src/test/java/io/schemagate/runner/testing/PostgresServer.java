package io.schemagate.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runner tests' PostgreSQL: a real server (embedded, 17.x) for one test class, from before its
 * first test to after its last; register it with {@code @RegisterExtension static final
 * PostgresServer PG = new PostgresServer();}. Each test takes a fresh database from it, so tests
 * stay independent without paying a server start each.
 *
 * <p>Durability is off ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}): the
 * server lives for one class, and no test needs its data to survive a crash.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
  private static final String SUPERUSER = "postgres";
  private static final String INVALID_PASSWORD = "28P01";

  private final AtomicInteger databases = new AtomicInteger();
  private EmbeddedPostgres pg;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    pg =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  public int port() {
    if (pg == null) {
      throw new IllegalStateException(
          "PostgresServer is not running: register it on a static field with @RegisterExtension");
    }
    return pg.getPort();
  }

  /** The server's maintenance database {@code postgres}, as the superuser: roles, settings. */
  public TestDatabase admin() {
    return database("postgres");
  }

  /** Creates an empty database owned by the superuser. */
  public TestDatabase newDatabase() throws SQLException {
    String name = "db" + databases.incrementAndGet();
    admin().execute("CREATE DATABASE " + name);
    return database(name);
  }

  /** Creates a database holding what {@code script} (one or more statements) creates. */
  public TestDatabase newDatabase(String script) throws SQLException {
    TestDatabase db = newDatabase();
    if (!script.isBlank()) {
      db.execute(script);
    }
    return db;
  }

  /**
   * Creates a superuser role that must log in with its password (SCRAM) over TCP, where the server
   * trusts every other role.
   */
  public void createRoleWithPassword(String role, String password)
      throws SQLException, IOException {
    TestDatabase admin = admin();
    admin.execute(
        "SET password_encryption = 'scram-sha-256'",
        "CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
    Path hba = Path.of(admin.value("SHOW hba_file"));
    String rules =
        "host all "
            + role
            + " 127.0.0.1/32 scram-sha-256\n"
            + "host all "
            + role
            + " ::1/128 scram-sha-256\n";
    Files.writeString(hba, rules + Files.readString(hba, StandardCharsets.UTF_8));
    admin.execute("SELECT pg_reload_conf()");
    awaitPasswordRequired(role);
  }

  /**
   * Waits until the postmaster has read pg_hba.conf again, which it does some time after
   * pg_reload_conf() returns: until it refuses {@code role} a wrong password.
   */
  private void awaitPasswordRequired(String role) throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Connection accepted = DriverManager.getConnection(url, role, "not-" + role)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the server still lets " + role + " in without a password");
        }
      } catch (SQLException e) {
        if (INVALID_PASSWORD.equals(e.getSQLState())) {
          return;
        }
        throw e;
      }
      Thread.onSpinWait();
    }
  }

  private TestDatabase database(String name) {
    return new TestDatabase("jdbc:postgresql://localhost:" + port() + "/" + name, SUPERUSER, "");
  }
}
