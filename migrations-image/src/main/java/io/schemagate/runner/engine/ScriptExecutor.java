package io.schemagate.runner.engine;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.sql.SqlScript;
import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.SqlSyntaxException;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
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

  /** Splits a script into statements, with placeholders replaced. */
  SqlScript parse(MigrationScript script) {
    Placeholders placeholders = session.settings().placeholders();
    String text =
        placeholders.enabled()
            ? placeholders.apply(
                script.text(), script.script(), session.builtInPlaceholders(script.script()))
            : script.text();
    try {
      return SqlScript.parse(text);
    } catch (SqlSyntaxException e) {
      throw new RunnerException(
          Reason.MigrationFailed,
          script.script() + " line " + e.line() + ": " + e.getMessage(),
          new FailureDetail(script.versionText(), script.script(), e.line(), null, false),
          e);
    }
  }

  /**
   * Executes every statement.
   *
   * @param partialOnFailure whether a failure may leave changes behind (non-transactional script)
   * @throws RunnerException naming the statement that failed
   */
  void execute(MigrationScript script, SqlScript sql, boolean partialOnFailure) {
    for (SqlStatement statement : sql.statements()) {
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
  boolean runsInTransaction(MigrationScript script, SqlScript sql) {
    if (sql.transactional() || sql.statements().isEmpty()) {
      return true;
    }
    if (sql.nonTransactional()) {
      return false;
    }
    String lines =
        sql.statements().stream()
            .filter(s -> !s.transactional())
            .map(s -> "line " + s.line())
            .collect(Collectors.joining(", "));
    throw new RunnerException(
        Reason.MigrationFailed,
        script.script()
            + " mixes statements that must run outside a transaction ("
            + lines
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
  void executeInTransaction(MigrationScript script, SqlScript sql, Bookkeeping after)
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
      // An Error too (OutOfMemoryError): the finally's setAutoCommit(true) would otherwise commit
      // the half-run script without its history row.
      rollbackQuietly(connection);
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
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
