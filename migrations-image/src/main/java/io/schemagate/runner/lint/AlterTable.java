package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@code ALTER TABLE} statement taken apart into its table and its comma-separated actions (each
 * action's significant tokens, e.g. {@code DROP COLUMN a} in {@code ALTER TABLE t ADD b int, DROP
 * COLUMN a}).
 */
record AlterTable(RelationName table, List<StatementTokens> actions) {

  static Optional<AlterTable> of(StatementTokens tokens) {
    if (!tokens.wordsAt(0, "ALTER", "TABLE")) {
      return Optional.empty();
    }
    int i = 2;
    if (tokens.wordsAt(i, "IF", "EXISTS")) {
      i += 2;
    }
    if (tokens.isWord(i, "ONLY")) {
      i++;
    }
    Optional<RelationName> table = RelationName.at(tokens, i);
    if (table.isEmpty()) {
      return Optional.empty();
    }
    i += table.get().tokenCount();
    if (tokens.isSymbol(i, "*")) {
      i++;
    }
    List<StatementTokens> actions = new ArrayList<>();
    List<SqlToken> action = new ArrayList<>();
    int depth = 0;
    for (; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        depth--;
      }
      if (depth == 0 && token.isSymbol(",")) {
        actions.add(StatementTokens.of(action));
        action = new ArrayList<>();
      } else {
        action.add(token);
      }
    }
    actions.add(StatementTokens.of(action));
    return Optional.of(new AlterTable(table.get(), actions));
  }
}
