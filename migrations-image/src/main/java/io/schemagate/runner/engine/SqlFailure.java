package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Classifies PostgreSQL errors into runner reasons and phrases them for users. */
public final class SqlFailure {
  /** lock_not_available: a lock_timeout expired. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlFailure() {}

  /** The reason for a failure to open a connection. */
  static Reason connectReason(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("28P01") || state.equals("28000")) {
      return Reason.AuthenticationFailed;
    }
    if (state.startsWith("08")
        || state.equals("57P03")
        || state.equals("3D000")
        || state.equals("53300")
        || hasCause(e, ConnectException.class)
        || hasCause(e, UnknownHostException.class)
        || hasCause(e, NoRouteToHostException.class)
        || hasCause(e, SocketTimeoutException.class)) {
      return Reason.DatabaseUnreachable;
    }
    return Reason.DatabaseUnreachable;
  }

  /** The reason for a statement that failed inside a migration or undo script. */
  public static Reason statementReason(SQLException e) {
    if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
      return Reason.LockTimeout;
    }
    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
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

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
