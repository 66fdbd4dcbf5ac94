package io.schemagate.runner.sql;

import java.util.List;

/**
 * One statement of a migration script.
 *
 * @param sql the statement text from its first to its last token, without the terminating semicolon
 * @param line the 1-based line in the file where the statement's first token starts
 * @param transactional false for statements PostgreSQL refuses inside a transaction block, and for
 *     transaction control ({@code BEGIN}, {@code COMMIT}, ...; see {@link TransactionRequirement})
 * @param copyData for {@code COPY ... FROM STDIN}, the data lines that follow it (each ending with
 *     a newline, without the closing {@code \.} line); otherwise null
 */
public record SqlStatement(String sql, int line, boolean transactional, String copyData) {

  /** The statement's tokens, with line numbers as in the file. */
  public List<SqlToken> tokens() {
    return SqlLexer.tokenize(sql, line);
  }

  /** What the statement needs from the transaction it runs in. */
  public TransactionRequirement transactionRequirement() {
    return TransactionRequirement.of(tokens());
  }
}
