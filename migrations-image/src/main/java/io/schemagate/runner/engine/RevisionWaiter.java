package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Polls the history table, read-only, until it shows a target revision or a later one applied (the
 * {@code wait} command: an init container's gate for workloads that cannot be paused).
 *
 * <p>It waits through everything that heals by itself: a database not up yet or refusing
 * connections (see {@link ConnectFailure}), a connection lost between polls, a history table that
 * does not exist yet. What waiting cannot fix fails at once: a refused login, invalid settings, a
 * role that may not read the history table. Its session is read-only, so it cannot write even by
 * mistake; it needs only CONNECT on the database, USAGE on the schema and SELECT on the table.
 */
public final class RevisionWaiter {
  /** How often a waiting runner says so on stderr. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  /**
   * How the wait ended.
   *
   * @param reached whether the history showed the target or a later revision
   * @param cancelled whether a termination request ended it first
   * @param current the current revision at the last read (null: none applied, or never read)
   * @param historyRead whether the last poll read the history (or found there is none yet)
   * @param lastSeen what the last poll saw, in words
   * @param waited how long it waited
   * @param polls how many times it looked
   */
  public record Outcome(
      boolean reached,
      boolean cancelled,
      MigrationVersion current,
      boolean historyRead,
      String lastSeen,
      Duration waited,
      int polls) {}

  private final DatabaseConnector connector;
  private final RunnerSettings settings;
  private final Progress progress;
  private final StatementCanceller canceller;
  private final Duration interval;
  private final Duration progressEvery;

  public RevisionWaiter(
      DatabaseConnector connector,
      RunnerSettings settings,
      Progress progress,
      StatementCanceller canceller,
      Duration interval) {
    this(connector, settings, progress, canceller, interval, PROGRESS_EVERY);
  }

  RevisionWaiter(
      DatabaseConnector connector,
      RunnerSettings settings,
      Progress progress,
      StatementCanceller canceller,
      Duration interval,
      Duration progressEvery) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be more than 0");
    }
    this.connector = connector;
    this.settings = settings;
    this.progress = progress;
    this.canceller = canceller;
    this.interval = interval;
    this.progressEvery = progressEvery;
  }

  /**
   * Polls until the history shows {@code target} or later, {@code timeout} passes, or a termination
   * request comes. Always looks at least once, even with a zero timeout.
   *
   * @throws RunnerException AuthenticationFailed or ConfigurationInvalid for what waiting cannot
   *     fix
   */
  public Outcome await(MigrationVersion target, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextProgress = start;
    int polls = 0;
    DatabaseSession session = null;
    MigrationVersion current = null;
    try {
      while (true) {
        polls++;
        boolean read = false;
        String seen = null;
        if (session == null) {
          try {
            session = openReadOnly(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
          } catch (SQLException e) {
            if (!ConnectFailure.mayHeal(e)) {
              throw ConnectFailure.permanent(e, connector.user(), connector.password());
            }
            seen = "database not reachable (" + SqlFailure.describe(e) + ")";
          } catch (RunnerException e) {
            // Connected, but the session's first statements failed: the server went away again.
            if (e.reason() != Reason.DatabaseUnreachable) {
              throw e;
            }
            seen = "database not reachable (" + e.getMessage() + ")";
          }
        }
        if (session != null) {
          try {
            SchemaHistory history = session.history();
            if (history.exists()) {
              List<HistoryRow> rows = history.rows();
              current = SchemaState.currentOf(rows);
              seen =
                  current == null
                      ? "database at no revision (history table empty)"
                      : "database at " + current.getVersion();
            } else {
              current = null;
              seen = "no history table " + history.qualifiedName() + " yet (nothing migrated)";
            }
            read = true;
          } catch (SQLException e) {
            if (SqlFailure.statementReason(e) != Reason.DatabaseUnreachable) {
              throw new RunnerException(
                  Reason.ConfigurationInvalid,
                  "cannot read the history table "
                      + session.history().qualifiedName()
                      + ": "
                      + SqlFailure.describe(e)
                      + " (the role needs USAGE on its schema and SELECT on the table)",
                  e);
            }
            session.close();
            session = null;
            seen = "connection lost (" + SqlFailure.describe(e) + ")";
          }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (read && current != null && current.compareTo(target) >= 0) {
          return new Outcome(true, false, current, true, seen, waited, polls);
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          return new Outcome(false, false, current, read, seen, waited, polls);
        }
        if (now - nextProgress >= 0) {
          progress.line(
              "Waiting for revision "
                  + target.getVersion()
                  + "; "
                  + seen
                  + " ("
                  + DurationText.formatElapsed(waited)
                  + " waited)");
          nextProgress = now + progressEvery.toNanos();
        }
        long pauseMs = Math.max(1, Math.min(interval.toMillis(), (deadline - now) / 1_000_000));
        if (canceller.awaitCancel(pauseMs)) {
          return new Outcome(
              false, true, current, read, seen, Duration.ofNanos(System.nanoTime() - start), polls);
        }
      }
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  /**
   * Opens one connection, bounded by {@code timeout} (at least a second), and makes it read-only
   * before anything else runs on it: every transaction of the session refuses to write.
   */
  DatabaseSession openReadOnly(Duration timeout) throws SQLException {
    Connection c =
        connector.connectOnce(
            timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout);
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closeError) {
        e.addSuppressed(closeError);
      }
      throw e;
    }
    return DatabaseSession.prepare(connector, c, settings, progress, canceller);
  }
}
