package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A possibly schema-qualified table name as PostgreSQL resolves it ({@code Orders} and {@code
 * orders} are the same, {@code "Orders"} is not).
 */
record RelationName(List<String> parts) {

  /**
   * The name starting at token {@code start}, e.g. {@code app."Orders"}; empty if none is there.
   */
  static Optional<RelationName> at(StatementTokens tokens, int start) {
    List<String> parts = new ArrayList<>();
    int i = start;
    while (tokens.isType(i, SqlToken.Type.WORD)
        || tokens.isType(i, SqlToken.Type.QUOTED_IDENTIFIER)) {
      parts.add(tokens.get(i).name());
      if (!tokens.isSymbol(i + 1, ".")) {
        break;
      }
      i += 2;
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(new RelationName(parts));
  }

  /** How many tokens the name spans. */
  int tokenCount() {
    return parts.size() * 2 - 1;
  }

  /**
   * Whether both names may denote the same table: equal, or equal in the table part when either
   * leaves the schema to the search path.
   */
  boolean mayBe(RelationName other) {
    if (parts.size() == 1 || other.parts.size() == 1) {
      return parts.get(parts.size() - 1).equals(other.parts.get(other.parts.size() - 1));
    }
    return parts.equals(other.parts);
  }

  @Override
  public String toString() {
    return String.join(".", parts);
  }
}
