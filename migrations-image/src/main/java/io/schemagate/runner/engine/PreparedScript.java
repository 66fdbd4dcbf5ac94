package io.schemagate.runner.engine;

import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.SqlStatementReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A migration script made ready to run: whether it runs in one transaction or statement by
 * statement in autocommit, decided from all its statements before the first runs, and the
 * statements themselves. A script of up to {@link #IN_MEMORY_BYTES} keeps them in memory (parsed
 * once, possibly ahead on another thread); a larger one keeps only what its first pass learned and
 * reads its statements from the file again as they run, so memory is bounded by its largest
 * statement, not by its size.
 */
final class PreparedScript {
  /** Files up to this size are held in memory once parsed; larger ones are streamed twice. */
  static final long IN_MEMORY_BYTES = 1024 * 1024;

  /** How many lines a message names before it counts the rest. */
  private static final int LINES_NAMED = 10;

  /** Opens the script's statements from the start (placeholders replaced). */
  @FunctionalInterface
  interface Source {
    SqlStatementReader open() throws IOException;
  }

  /** What to do with each statement as it comes. */
  @FunctionalInterface
  interface StatementAction {
    void run(SqlStatement statement);
  }

  private final List<SqlStatement> statements;
  private final Source source;
  private final boolean anyTransactional;
  private final List<Integer> nonTransactionalLines;
  private final int nonTransactionalCount;

  private PreparedScript(
      List<SqlStatement> statements,
      Source source,
      boolean anyTransactional,
      List<Integer> nonTransactionalLines,
      int nonTransactionalCount) {
    this.statements = statements;
    this.source = source;
    this.anyTransactional = anyTransactional;
    this.nonTransactionalLines = nonTransactionalLines;
    this.nonTransactionalCount = nonTransactionalCount;
  }

  /**
   * Reads {@code script}'s statements once through {@code source}, keeping them if the file is
   * small.
   *
   * @throws io.schemagate.runner.sql.SqlSyntaxException when a statement cannot be split off
   */
  static PreparedScript of(MigrationScript script, Source source) throws IOException {
    List<SqlStatement> kept = script.size() <= IN_MEMORY_BYTES ? new ArrayList<>() : null;
    boolean anyTransactional = false;
    List<Integer> lines = new ArrayList<>();
    int count = 0;
    try (SqlStatementReader reader = source.open()) {
      for (SqlStatement s = reader.next(); s != null; s = reader.next()) {
        if (s.transactional()) {
          anyTransactional = true;
        } else if (++count <= LINES_NAMED) {
          lines.add(s.line());
        }
        if (kept != null) {
          kept.add(s);
        }
      }
    }
    return new PreparedScript(
        kept == null ? null : List.copyOf(kept), source, anyTransactional, lines, count);
  }

  /** Whether every statement can run inside one transaction (true for a script without any). */
  boolean transactional() {
    return nonTransactionalCount == 0;
  }

  /** Whether the script has statements and none of them can run inside a transaction. */
  boolean nonTransactional() {
    return nonTransactionalCount > 0 && !anyTransactional;
  }

  /** Where the statements that cannot run in a transaction are: {@code line 3, line 9}. */
  String nonTransactionalLines() {
    String named =
        nonTransactionalLines.stream().map(l -> "line " + l).collect(Collectors.joining(", "));
    int more = nonTransactionalCount - nonTransactionalLines.size();
    return more > 0 ? named + " and " + more + " more" : named;
  }

  /** Hands every statement to {@code action}, in order, from memory or from the file again. */
  void forEach(StatementAction action) throws IOException {
    if (statements != null) {
      statements.forEach(action::run);
      return;
    }
    try (SqlStatementReader reader = source.open()) {
      for (SqlStatement s = reader.next(); s != null; s = reader.next()) {
        action.run(s);
      }
    }
  }
}
