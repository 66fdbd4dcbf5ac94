package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The session-level advisory lock Flyway takes for a history table, computed as Flyway computes it,
 * so runners and stock Flyway exclude each other. A session lock (not a transactional one) lets
 * {@code CREATE INDEX CONCURRENTLY} run: it would wait forever on a transaction held open for the
 * lock.
 */
public final class AdvisoryLock implements AutoCloseable {
  // "Flyway" in ASCII, as Flyway's PostgreSQL support defines it.
  private static final long FLYWAY_MAGIC =
      (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77 << 16) + (0x61 << 8) + 0x79;

  private final Connection connection;
  private final long key;
  private boolean held;

  private AdvisoryLock(Connection connection, long key) {
    this.connection = connection;
    this.key = key;
  }

  /** The lock key for a history table named as {@link SchemaHistory#qualifiedName()}. */
  public static long keyFor(String qualifiedHistoryTable) {
    return FLYWAY_MAGIC + qualifiedHistoryTable.hashCode();
  }

  /**
   * Waits up to {@code wait} for the lock, polling, and reports progress while it waits.
   *
   * @throws RunnerException LockTimeout when another session still holds it after {@code wait}
   */
  public static AdvisoryLock acquire(
      Connection connection,
      SchemaHistory history,
      Duration wait,
      Progress progress,
      StatementCanceller canceller)
      throws SQLException {
    AdvisoryLock lock = new AdvisoryLock(connection, keyFor(history.qualifiedName()));
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 50;
    boolean announced = false;
    while (!lock.tryLock()) {
      if (!announced) {
        progress.line(
            "Waiting for another migration of "
                + history.qualifiedName()
                + " to finish (lock wait "
                + DurationText.format(wait)
                + ")");
        announced = true;
      }
      if (canceller.cancelled()) {
        throw new RunnerException(
            Reason.LockTimeout, "termination requested while waiting for the migration lock");
      }
      if (System.nanoTime() > deadline) {
        throw new RunnerException(
            Reason.LockTimeout,
            "another migration held the lock on "
                + history.qualifiedName()
                + " for longer than the lock wait of "
                + DurationText.format(wait));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunnerException(Reason.LockTimeout, "interrupted while waiting for the lock");
      }
      pause = Math.min(pause * 2, 1000);
    }
    return lock;
  }

  private boolean tryLock() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        held = rs.getBoolean(1);
        return held;
      }
    }
  }

  @Override
  public void close() throws SQLException {
    if (!held || connection.isClosed()) {
      return;
    }
    if (!connection.getAutoCommit()) {
      connection.rollback();
      connection.setAutoCommit(true);
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.executeQuery().close();
    }
    held = false;
  }
}
