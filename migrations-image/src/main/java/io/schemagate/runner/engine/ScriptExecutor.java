package io.schemagate.runner.engine;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.SqlStatementReader;
import io.schemagate.runner.sql.SqlSyntaxException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Runs the statements of one script on the session's connection, one at a time, so a failure names
 * its file, line and SQLSTATE. Transaction boundaries are the caller's business.
 */
final class ScriptExecutor {
  private final DatabaseSession session;
  private final Connection connection;
  private final StatementCanceller canceller;

  ScriptExecutor(DatabaseSession session) {
    this.session = session;
    this.connection = session.connection();
    this.canceller = session.canceller();
  }

  /**
   * Reads a script for running: how it runs, and its statements with placeholders replaced (see
   * {@link PreparedScript}).
   *
   * @throws RunnerException MigrationFailed for a statement that cannot be split off,
   *     ConfigurationInvalid for a file that cannot be read or a placeholder without a value
   */
  PreparedScript prepare(MigrationScript script) {
    try {
      return PreparedScript.of(script, () -> statements(script));
    } catch (SqlSyntaxException | IOException | UncheckedIOException e) {
      throw unreadable(script, e, false);
    }
  }

  private SqlStatementReader statements(MigrationScript script) throws IOException {
    Placeholders placeholders = session.settings().placeholders();
    return new SqlStatementReader(
        placeholders.replacing(
            script.open(), script.script(), session.builtInPlaceholders(script.script())));
  }

  private static RunnerException unreadable(
      MigrationScript script, Exception e, boolean partialOnFailure) {
    if (e instanceof SqlSyntaxException syntax) {
      return new RunnerException(
          Reason.MigrationFailed,
          script.script() + " line " + syntax.line() + ": " + syntax.reason(),
          new FailureDetail(
              script.versionText(), script.script(), syntax.line(), null, partialOnFailure),
          e);
    }
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    return new RunnerException(
        Reason.ConfigurationInvalid,
        cause instanceof CharacterCodingException
            ? script.script() + " is not valid UTF-8"
            : "cannot read " + script.script() + ": " + cause,
        new FailureDetail(script.versionText(), script.script(), null, null, partialOnFailure),
        e);
  }

  /**
   * Executes every statement.
   *
   * @param partialOnFailure whether a failure may leave changes behind (non-transactional script)
   * @throws RunnerException naming the statement that failed
   */
  void execute(MigrationScript script, PreparedScript sql, boolean partialOnFailure) {
    try {
      sql.forEach(statement -> execute(script, statement, partialOnFailure));
    } catch (SqlSyntaxException | IOException | UncheckedIOException e) {
      // Only a file changed or gone since it was prepared gets here.
      throw unreadable(script, e, partialOnFailure);
    }
  }

  private void execute(MigrationScript script, SqlStatement statement, boolean partialOnFailure) {
    if (canceller.cancelled()) {
      throw new RunnerException(
          Reason.MigrationFailed,
          script.script()
              + ": stopped before line "
              + statement.line()
              + " (termination requested)",
          new FailureDetail(
              script.versionText(), script.script(), statement.line(), null, partialOnFailure),
          null);
    }
    try {
      run(statement);
    } catch (SQLException e) {
      int line = statement.line() + linesBefore(statement.sql(), SqlFailure.position(e));
      String what = canceller.cancelled() ? " (cancelled: termination requested)" : "";
      throw new RunnerException(
          SqlFailure.statementReason(e),
          script.script() + " line " + line + ": " + SqlFailure.describe(e) + what,
          new FailureDetail(
              script.versionText(), script.script(), line, e.getSQLState(), partialOnFailure),
          e);
    }
  }

  private void run(SqlStatement statement) throws SQLException {
    if (statement.copyData() != null) {
      try {
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(statement.sql(), new StringReader(statement.copyData()));
      } catch (IOException e) {
        throw new SQLException("COPY failed: " + e.getMessage(), "58030", e);
      }
      return;
    }
    try (Statement st = connection.createStatement()) {
      canceller.running(st);
      try {
        st.execute(statement.sql());
      } finally {
        canceller.finished();
      }
    }
  }

  /**
   * Whether a script runs in one transaction (it has no statement that PostgreSQL refuses in one)
   * or statement by statement in autocommit (all of its statements are such).
   *
   * @throws RunnerException MigrationFailed for a script that mixes both: it could only run half
   *     atomically, so it runs not at all
   */
  boolean runsInTransaction(MigrationScript script, PreparedScript sql) {
    if (sql.transactional()) {
      return true;
    }
    if (sql.nonTransactional()) {
      return false;
    }
    throw new RunnerException(
        Reason.MigrationFailed,
        script.script()
            + " mixes statements that must run outside a transaction ("
            + sql.nonTransactionalLines()
            + ") with transactional ones; put them in a script of their own",
        new FailureDetail(script.versionText(), script.script(), null, null, false),
        null);
  }

  /** Work that commits with a script's statements, such as its history row. */
  @FunctionalInterface
  interface Bookkeeping {
    void run() throws SQLException;
  }

  /**
   * Runs the statements, then {@code after}, in one transaction under the configured lock_timeout;
   * any failure rolls all of it back.
   */
  void executeInTransaction(MigrationScript script, PreparedScript sql, Bookkeeping after)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (Statement st = connection.createStatement()) {
        st.execute(
            "SET LOCAL lock_timeout = '" + session.settings().lockTimeout().toMillis() + "ms'");
      }
      execute(script, sql, false);
      after.run();
      connection.commit();
    } catch (SQLException | RuntimeException | Error e) {
      // An Error too (OutOfMemoryError): turning autocommit back on would otherwise commit the
      // half-run script without its history row. On a connection the failure broke, neither
      // step may hide the failure itself.
      rollbackQuietly(connection);
      try {
        connection.setAutoCommit(true);
      } catch (SQLException restoreError) {
        e.addSuppressed(restoreError);
      }
      throw e;
    }
    connection.setAutoCommit(true);
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection may be gone; the statement's own error is what the user needs.
    }
  }

  /** Newlines before a 1-based character position: how far into the statement the error is. */
  private static int linesBefore(String sql, int position) {
    int end = Math.min(Math.max(position - 1, 0), sql.length());
    int lines = 0;
    for (int i = 0; i < end; i++) {
      if (sql.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
