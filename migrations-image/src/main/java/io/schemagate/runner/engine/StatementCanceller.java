package io.schemagate.runner.engine;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the statement that is running so a signal handler can cancel it: on SIGTERM the server
 * aborts the statement (and its transaction rolls back) instead of the pod dying mid-way.
 */
public final class StatementCanceller {
  private volatile Statement running;
  private volatile boolean cancelled;
  private final CountDownLatch cancellation = new CountDownLatch(1);

  void running(Statement statement) {
    this.running = statement;
  }

  void finished() {
    this.running = null;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /**
   * Waits up to {@code ms}, returning early once {@link #cancel()} is called: a pause between
   * retries must not keep a terminating runner waiting.
   *
   * @return whether cancellation was requested
   */
  boolean awaitCancel(long ms) {
    try {
      return cancellation.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Asks the server to cancel the running statement, if any; safe from any thread. */
  public void cancel() {
    cancelled = true;
    cancellation.countDown();
    Statement s = running;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException ignored) {
        // The statement may have finished between the read and the cancel; nothing to stop then.
      }
    }
  }
}
