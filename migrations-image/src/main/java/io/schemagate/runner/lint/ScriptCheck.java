package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlToken;
import java.util.List;

/**
 * A rule that reads the statements of one migration file in order, one at a time, as the linter
 * streams the file: each file gets a fresh {@link Reading} (the rules are {@link CheckPass}es made
 * per file), which keeps what it needs between statements, so a file of any size lints in bounded
 * memory.
 */
@FunctionalInterface
interface ScriptCheck {

  /** A fresh pass over {@code migration}'s file. */
  Reading read(MigrationScript migration);

  /** One pass over one file: statements and comments as they come, findings at the end. */
  interface Reading {
    void statement(StatementTokens statement);

    /** A comment anywhere in the file, in order with the statements. */
    default void comment(SqlToken comment) {}

    /** What the rule found, once the whole file was read. */
    List<LintFinding> findings();
  }
}
