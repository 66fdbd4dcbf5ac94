package io.schemagate.runner.engine;

import io.schemagate.runner.Plural;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the one connection a command uses. What can heal in seconds (a server starting, a Service
 * without endpoints yet, a full connection table; see {@link ConnectFailure}) is retried with
 * backoff until the connect timeout; a refused login or invalid settings fail at once, since
 * retrying a wrong password only locks accounts and no wait fixes a typo.
 */
public final class DatabaseConnector {
  private final String url;
  private final String user;
  private final String password;
  private final Duration connectTimeout;
  private final Progress progress;
  private final StatementCanceller canceller;

  /**
   * @throws RunnerException ConfigurationInvalid for a missing, foreign or unparsable URL, one with
   *     credentials in it, or one with parameters the driver does not know
   */
  public DatabaseConnector(
      String url,
      String user,
      String password,
      Duration connectTimeout,
      Progress progress,
      StatementCanceller canceller) {
    DatabaseUrl.check(url);
    this.url = url;
    this.user = user;
    // An empty variable is no password: the driver would send it and blame the server.
    this.password = password == null || password.isEmpty() ? null : password;
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
    long started = System.nanoTime();
    long deadline = started + connectTimeout.toNanos();
    long pauseMs = 250;
    int attempt = 0;
    while (true) {
      attempt++;
      long remainingMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      try {
        return connectOnce(Duration.ofMillis(remainingMs));
      } catch (SQLException e) {
        if (!ConnectFailure.mayHeal(e)) {
          throw ConnectFailure.permanent(e, user, password);
        }
        if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
          throw new RunnerException(
              Reason.DatabaseUnreachable,
              "cannot connect to the database after "
                  + Plural.of(attempt, "attempt")
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
        if (canceller.awaitCancel(pauseMs)) {
          throw new RunnerException(
              Reason.DatabaseUnreachable,
              "stopped by a termination request while connecting, after "
                  + Plural.of(attempt, "attempt")
                  + " in "
                  + DurationText.formatElapsed(Duration.ofNanos(System.nanoTime() - started))
                  + ": "
                  + SqlFailure.describe(e),
              e);
        }
        pauseMs = Math.min(pauseMs * 2, 5000);
      }
    }
  }

  /**
   * One attempt bounded by {@code timeout}, without retries; alone, it serves a short read once a
   * run is over, when waiting for the database to come back is not worth it.
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
}
