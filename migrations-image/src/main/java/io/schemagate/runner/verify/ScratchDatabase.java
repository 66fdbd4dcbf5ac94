package io.schemagate.runner.verify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A throwaway database that {@code verify} migrates back and forth; closing it removes it. */
public interface ScratchDatabase extends AutoCloseable {

  /**
   * Starts a private PostgreSQL server in a temporary directory; its output goes to the log
   * (stderr), never to stdout.
   *
   * @throws io.schemagate.runner.RunnerException ({@code InternalError}) when it cannot start
   */
  static ScratchDatabase embedded() {
    return EmbeddedScratchDatabase.start();
  }

  /**
   * Creates a database named {@code schemagate_verify_<random hex>} on the server {@code
   * adminJdbcUrl} points to, reachable with the same host, port and parameters.
   *
   * @param adminJdbcUrl a PostgreSQL JDBC URL of any database on that server
   * @param password may be null or empty
   * @throws io.schemagate.runner.RunnerException when the server cannot be reached, refuses the
   *     credentials, or does not let {@code user} create a database; the message never holds the
   *     password
   */
  static ScratchDatabase onServer(String adminJdbcUrl, String user, String password) {
    return ServerScratchDatabase.create(adminJdbcUrl, user, password);
  }

  /** The scratch database's JDBC URL, without credentials unless the admin URL carried them. */
  String jdbcUrl();

  String user();

  /** Null or empty when the server does not ask for one. */
  String password();

  /** Opens a new connection to the scratch database. */
  default Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (user() != null) {
      properties.setProperty("user", user());
    }
    if (password() != null && !password().isEmpty()) {
      properties.setProperty("password", password());
    }
    return DriverManager.getConnection(jdbcUrl(), properties);
  }

  /**
   * Removes the database (and stops the embedded server); calling it again does nothing.
   *
   * @throws io.schemagate.runner.RunnerException when the database could not be dropped
   */
  @Override
  void close();
}
