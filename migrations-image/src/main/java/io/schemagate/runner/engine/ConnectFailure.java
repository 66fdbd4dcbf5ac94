package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.io.IOException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;
import org.postgresql.util.PSQLException;

/**
 * Sorts a failed attempt to open a connection. What heals within seconds is retried within the
 * connect timeout: a refused, reset or timed-out socket, an unknown host (a Service created a
 * moment ago), a server starting up or shutting down (57P01-57P03) or out of connections or other
 * resources (class 53). Everything else fails at once, since waiting cannot fix it: a refused login
 * or a missing password (AuthenticationFailed), settings the driver rejects or a server FATAL about
 * the session, such as an unknown database or a bad {@code options} parameter
 * (ConfigurationInvalid).
 */
final class ConnectFailure {
  private ConnectFailure() {}

  /** Whether trying again a little later may succeed. */
  static boolean mayHeal(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.matches("57P0[123]") || state.startsWith("53")) {
      return true;
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return false; // a certificate or protocol the client refuses: configuration
      }
      if (c instanceof IOException) {
        return true; // refused, reset, timed out, unknown host, closed during the handshake
      }
    }
    return false;
  }

  /** The failure to report for an attempt that {@link #mayHeal} said will not heal. */
  static RunnerException permanent(SQLException e, String user, String password) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean fromServer = e instanceof PSQLException p && p.getServerErrorMessage() != null;
    if (state.startsWith("28")) {
      return new RunnerException(
          Reason.AuthenticationFailed,
          "the database refused the login"
              + (user == null || user.isEmpty() ? "" : " of user '" + user + "'")
              + " ("
              + SqlFailure.describe(e)
              + ")",
          e);
    }
    if (state.equals("08004")
        && (password == null || password.isEmpty())
        && String.valueOf(e.getMessage()).contains("password")) {
      return new RunnerException(
          Reason.AuthenticationFailed,
          "the server asked for a password"
              + (user == null || user.isEmpty() ? "" : " for user '" + user + "'")
              + " and none was given: set SCHEMAGATE_PASSWORD or --password-file",
          e);
    }
    if (state.equals("3D000")) {
      return new RunnerException(
          Reason.ConfigurationInvalid,
          "the database named in the URL does not exist (" + SqlFailure.describe(e) + ")",
          e);
    }
    return new RunnerException(
        Reason.ConfigurationInvalid,
        (fromServer
                ? "the server refused the session's settings: "
                : "the connection settings are invalid: ")
            + SqlFailure.describe(e)
            + " (not retried: waiting cannot fix it)",
        e);
  }
}
