package io.schemagate.runner.engine;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Remembers the statement that is running so a signal handler can cancel it: on SIGTERM the server
 * aborts the statement (and its transaction rolls back) instead of the pod dying mid-way.
 */
public final class StatementCanceller {
  private volatile Statement running;
  private volatile boolean cancelled;

  void running(Statement statement) {
    this.running = statement;
  }

  void finished() {
    this.running = null;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Asks the server to cancel the running statement, if any; safe from any thread. */
  public void cancel() {
    cancelled = true;
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
