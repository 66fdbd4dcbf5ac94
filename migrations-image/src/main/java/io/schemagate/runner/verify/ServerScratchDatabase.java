package io.schemagate.runner.verify;

import io.schemagate.runner.Reason;
import io.schemagate.runner.Redactor;
import io.schemagate.runner.RunnerException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/** A scratch database created on an existing server, dropped again on close. */
final class ServerScratchDatabase implements ScratchDatabase {
  static final String NAME_PREFIX = "schemagate_verify_";
  private static final String URL_PREFIX = "jdbc:postgresql:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String adminJdbcUrl;
  private final String user;
  private final String password;
  private final String name;
  private final String jdbcUrl;
  private boolean closed;

  private ServerScratchDatabase(String adminJdbcUrl, String user, String password, String name) {
    this.adminJdbcUrl = adminJdbcUrl;
    this.user = user;
    this.password = password;
    this.name = name;
    this.jdbcUrl = withDatabase(adminJdbcUrl, name);
  }

  static ServerScratchDatabase create(String adminJdbcUrl, String user, String password) {
    if (adminJdbcUrl == null || !adminJdbcUrl.startsWith(URL_PREFIX)) {
      throw new RunnerException(
          Reason.ConfigurationInvalid,
          "verify --url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got "
              + new Redactor(password).redact(String.valueOf(adminJdbcUrl)));
    }
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    ServerScratchDatabase db =
        new ServerScratchDatabase(
            adminJdbcUrl, user, password, NAME_PREFIX + HexFormat.of().formatHex(random));
    // template0: a pristine catalog, whatever a provider or an administrator put in template1.
    db.runOnAdminDatabase(
        "CREATE DATABASE " + quoted(db.name) + " TEMPLATE template0",
        "create the scratch database");
    return db;
  }

  /** The database's name on the server. */
  String name() {
    return name;
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // FORCE (PostgreSQL 13+) ends sessions a failed migration may have left open.
    runOnAdminDatabase(
        "DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)",
        "drop the scratch database " + name);
  }

  private void runOnAdminDatabase(String sql, String purpose) {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    Redactor redactor = new Redactor(password);
    try (Connection c = DriverManager.getConnection(adminJdbcUrl, properties);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      String message =
          "could not "
              + purpose
              + " on "
              + redactor.redact(adminJdbcUrl)
              + " as "
              + user
              + ": "
              + redactor.redact(e.getMessage());
      throw new RunnerException(reasonFor(e.getSQLState()), message, withoutPassword(e, redactor));
    }
  }

  private static Reason reasonFor(String sqlState) {
    if (sqlState == null || sqlState.startsWith("08")) {
      return Reason.DatabaseUnreachable;
    }
    if (sqlState.startsWith("28")) {
      return Reason.AuthenticationFailed;
    }
    // Insufficient privilege (no CREATEDB), unknown database in the URL, ...: the user's to fix.
    return Reason.ConfigurationInvalid;
  }

  /**
   * The driver's exception, re-told with a redacted message: a stack trace printed for debugging
   * must not carry the password either.
   */
  private static SQLException withoutPassword(SQLException e, Redactor redactor) {
    SQLException copy = new SQLException(redactor.redact(e.getMessage()), e.getSQLState());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /**
   * {@code jdbcUrl} with its database replaced; host list, port and parameters stay as they are.
   */
  static String withDatabase(String jdbcUrl, String database) {
    String rest = jdbcUrl.substring(URL_PREFIX.length());
    int query = rest.indexOf('?');
    String parameters = query < 0 ? "" : rest.substring(query);
    String location = query < 0 ? rest : rest.substring(0, query);
    if (!location.startsWith("//")) {
      return URL_PREFIX + database + parameters;
    }
    int slash = location.indexOf('/', 2);
    String authority = slash < 0 ? location : location.substring(0, slash);
    return URL_PREFIX + authority + "/" + database + parameters;
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
