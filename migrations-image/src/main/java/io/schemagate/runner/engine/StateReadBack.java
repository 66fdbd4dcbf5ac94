package io.schemagate.runner.engine;

import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fills a result from the history table as a command left it, so the result says what the database
 * holds rather than what the command attempted: the current revision, what is pending and future,
 * and the rows this run added. Over the session's connection, or over a fresh one when the run
 * broke it; when neither works, the result keeps what the session last read.
 */
public final class StateReadBack {
  /** A fresh connection for the read gets one attempt this long: the run is over, no retrying. */
  private static final Duration FRESH_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** Row types that are bookkeeping, not a migration applied. */
  private static final Set<String> NOT_APPLIED =
      Set.of(HistoryRow.SCHEMA, HistoryRow.BASELINE, HistoryRow.DELETE, HistoryRow.UNDO_SQL);

  private StateReadBack() {}

  /**
   * Reads the history and fills {@code result}'s currentRevision, pending, future and applied.
   *
   * @return empty when the state was read; otherwise why it could not be (the database could not be
   *     reached), the result then holding the session's last read, or nothing if it had none
   * @throws RunnerException when the history table turns out not to be one (see {@link
   *     SchemaHistory#exists()})
   */
  public static Optional<String> fill(
      DatabaseSession session, MigrationBundle bundle, RunResult result) {
    List<HistoryRow> rows;
    Optional<String> unread = Optional.empty();
    try {
      rows = read(session);
    } catch (SQLException e) {
      unread = Optional.of(SqlFailure.describe(e));
      rows = session.lastRead();
    }
    if (rows != null) {
      SchemaState.of(bundle, rows, session.settings().outOfOrder()).describeInto(result);
      result.applied(appliedSince(rows, session.rankAtFirstLock()));
    }
    return unread;
  }

  private static List<HistoryRow> read(DatabaseSession session) throws SQLException {
    try {
      return session.rows();
    } catch (SQLException onSession) {
      // The run may have broken the session's connection (it was terminated, the network went).
      try (Connection fresh = session.connector().connectOnce(FRESH_CONNECTION_TIMEOUT)) {
        SchemaHistory history = session.history().on(fresh);
        return history.exists() ? history.rows() : List.of();
      } catch (SQLException e) {
        e.addSuppressed(onSession);
        throw e;
      }
    }
  }

  /** The migration rows above the rank the session saw when it first locked, in installed order. */
  private static List<RunResult.Applied> appliedSince(List<HistoryRow> rows, Integer rank) {
    if (rank == null) {
      return List.of();
    }
    return rows.stream()
        .filter(r -> r.installedRank() > rank && r.success() && !NOT_APPLIED.contains(r.type()))
        .map(r -> new RunResult.Applied(r.version(), r.description(), r.executionTimeMs()))
        .toList();
  }
}
