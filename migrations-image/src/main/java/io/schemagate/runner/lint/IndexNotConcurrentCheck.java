package io.schemagate.runner.lint;

import java.util.Optional;

/**
 * {@code index-not-concurrent}: {@code CREATE INDEX} without {@code CONCURRENTLY} on a table the
 * same file did not create before it. A plain {@code CREATE INDEX} blocks writes to the table for
 * as long as the build takes; on a new table that costs nothing.
 */
final class IndexNotConcurrentCheck extends CheckPass {

  static final String RULE = "index-not-concurrent";

  private final CreatedTables created = new CreatedTables();

  IndexNotConcurrentCheck(MigrationScript migration) {
    super(migration);
  }

  @Override
  public void statement(StatementTokens tokens) {
    int index = tokens.isWord(1, "UNIQUE") ? 2 : 1;
    if (tokens.isWord(0, "CREATE")
        && tokens.isWord(index, "INDEX")
        && !tokens.isWord(index + 1, "CONCURRENTLY")) {
      Optional<RelationName> table = indexedTable(tokens, index + 1);
      if (table.isPresent() && !created.contains(table.get())) {
        findings.add(
            LintFinding.warning(
                migration.file(),
                tokens.get(index).line(),
                RULE,
                "CREATE INDEX on "
                    + table.get()
                    + " blocks writes to it while the index builds; use CREATE INDEX"
                    + " CONCURRENTLY, in a migration of its own"));
      }
    }
    created.record(tokens);
  }

  private static Optional<RelationName> indexedTable(StatementTokens tokens, int from) {
    for (int i = from; i < tokens.size(); i++) {
      if (tokens.isWord(i, "ON")) {
        return RelationName.at(tokens, tokens.isWord(i + 1, "ONLY") ? i + 2 : i + 1);
      }
    }
    return Optional.empty();
  }
}
