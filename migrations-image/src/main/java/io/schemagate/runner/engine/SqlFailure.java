package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Classifies PostgreSQL errors into runner reasons and phrases them for users. */
public final class SqlFailure {
  /** lock_not_available: a lock_timeout expired. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlFailure() {}

  /**
   * The reason for a failure to open a connection: a refused login, or (for everything else:
   * refused or timed-out sockets, a server starting up or out of connections, a database not
   * created yet) an unreachable database, which is retried until the connect timeout.
   */
  static Reason connectReason(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.startsWith("28") ? Reason.AuthenticationFailed : Reason.DatabaseUnreachable;
  }

  /** The reason for a statement that failed inside a migration or undo script. */
  public static Reason statementReason(SQLException e) {
    if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
      return Reason.LockTimeout;
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    // Class 08 is a broken connection; 57P01-57P03 a server that ended the session (shutdown,
    // crash recovery, start-up): the statement did not fail on its own, the database went away.
    if (state.startsWith("08") || state.matches("57P0[123]")) {
      return Reason.DatabaseUnreachable;
    }
    return Reason.MigrationFailed;
  }

  /** The server's message with its SQLSTATE, without the driver's location noise. */
  public static String describe(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      StringBuilder out = new StringBuilder();
      out.append(m.getMessage());
      if (m.getDetail() != null) {
        out.append(" (").append(m.getDetail()).append(')');
      }
      if (m.getHint() != null) {
        out.append("; hint: ").append(m.getHint());
      }
      return out.append(" [SQLSTATE ").append(m.getSQLState()).append(']').toString();
    }
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getSQLState() == null ? msg : msg + " [SQLSTATE " + e.getSQLState() + "]";
  }

  /** The 1-based character position the server reported within the statement, or 0. */
  public static int position(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      return p.getServerErrorMessage().getPosition();
    }
    return 0;
  }
}
