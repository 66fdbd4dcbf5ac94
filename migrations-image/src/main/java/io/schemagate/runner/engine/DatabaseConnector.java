package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the one connection a command uses. An unreachable database is retried with backoff until
 * the connect timeout (it may be starting); a refused login fails at once, since retrying a wrong
 * password only locks accounts.
 */
public final class DatabaseConnector {
  private final String url;
  private final String user;
  private final String password;
  private final Duration connectTimeout;
  private final Progress progress;
  private final StatementCanceller canceller;

  public DatabaseConnector(
      String url,
      String user,
      String password,
      Duration connectTimeout,
      Progress progress,
      StatementCanceller canceller) {
    if (url == null || url.isBlank()) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, "no database URL: pass --url or set SCHEMAGATE_URL");
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new RunnerException(
          Reason.ConfigurationInvalid,
          "unsupported database URL (expected jdbc:postgresql://host:port/database)");
    }
    this.url = url;
    this.user = user;
    this.password = password;
    this.connectTimeout = connectTimeout;
    this.progress = progress;
    this.canceller = canceller;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Connection connect() {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    long pauseMs = 250;
    int attempt = 0;
    while (true) {
      attempt++;
      long remainingMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      try {
        Connection c = open(remainingMs);
        if (c == null) {
          throw new RunnerException(Reason.ConfigurationInvalid, "the URL is not a PostgreSQL URL");
        }
        return c;
      } catch (SQLException e) {
        Reason reason = SqlFailure.connectReason(e);
        if (reason == Reason.AuthenticationFailed) {
          throw new RunnerException(
              reason,
              "the database refused the login"
                  + (user == null || user.isEmpty() ? "" : " of user '" + user + "'")
                  + " ("
                  + SqlFailure.describe(e)
                  + ")",
              e);
        }
        if (reason != Reason.DatabaseUnreachable
            || canceller.cancelled()
            || System.nanoTime() + pauseMs * 1_000_000 > deadline) {
          throw new RunnerException(
              reason,
              "cannot connect to the database after "
                  + attempt
                  + (attempt == 1 ? " attempt" : " attempts")
                  + " within "
                  + DurationText.format(connectTimeout)
                  + ": "
                  + SqlFailure.describe(e),
              e);
        }
        if (attempt == 1) {
          progress.line(
              "Database not reachable yet ("
                  + SqlFailure.describe(e)
                  + "); retrying for up to "
                  + DurationText.format(connectTimeout));
        }
        sleep(pauseMs);
        pauseMs = Math.min(pauseMs * 2, 5000);
      }
    }
  }

  /**
   * One attempt bounded by {@code timeout}, without retries: for a short read once a run is over,
   * when waiting for the database to come back is not worth it.
   */
  public Connection connectOnce(Duration timeout) throws SQLException {
    Connection c = open(timeout.toMillis());
    if (c == null) {
      throw new SQLException("the URL is not a PostgreSQL URL");
    }
    return c;
  }

  private Connection open(long remainingMs) throws SQLException {
    Properties props = new Properties();
    if (user != null && !user.isEmpty()) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "schemagate-runner");
    // Bound each attempt so the overall connect timeout holds even against a black-holed host.
    long seconds = Math.max(1, Math.min(10, (remainingMs + 999) / 1000));
    props.setProperty("connectTimeout", Long.toString(seconds));
    props.setProperty("tcpKeepAlive", "true");
    // Straight to the driver: DriverManager would scan the class path for every driver first.
    return new org.postgresql.Driver().connect(url, props);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnerException(Reason.DatabaseUnreachable, "interrupted while connecting");
    }
  }
}
