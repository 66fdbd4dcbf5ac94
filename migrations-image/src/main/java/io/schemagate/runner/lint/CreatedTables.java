package io.schemagate.runner.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * The tables (and materialized views) a script creates, fed statement by statement; rules use it to
 * spare a table that is new, and so empty and unseen by other sessions, in the same migration.
 */
final class CreatedTables {

  private final List<RelationName> created = new ArrayList<>();

  /** Notes the relation {@code CREATE [TEMP|UNLOGGED|...] TABLE|MATERIALIZED VIEW} creates. */
  void record(StatementTokens tokens) {
    if (!tokens.isWord(0, "CREATE")) {
      return;
    }
    int i = 1;
    while (tokens.isWord(i, "GLOBAL")
        || tokens.isWord(i, "LOCAL")
        || tokens.isWord(i, "TEMP")
        || tokens.isWord(i, "TEMPORARY")
        || tokens.isWord(i, "UNLOGGED")) {
      i++;
    }
    if (tokens.isWord(i, "TABLE")) {
      i++;
    } else if (tokens.wordsAt(i, "MATERIALIZED", "VIEW")) {
      i += 2;
    } else {
      return;
    }
    if (tokens.wordsAt(i, "IF", "NOT", "EXISTS")) {
      i += 3;
    }
    RelationName.at(tokens, i).ifPresent(created::add);
  }

  boolean contains(RelationName table) {
    return created.stream().anyMatch(table::mayBe);
  }
}
