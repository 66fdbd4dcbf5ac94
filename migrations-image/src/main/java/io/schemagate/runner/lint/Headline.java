package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlToken;
import java.util.stream.Collectors;

/** The leading keywords of a statement, as messages name it: {@code CREATE INDEX CONCURRENTLY}. */
final class Headline {

  private static final int MAX_WORDS = 3;

  private Headline() {}

  static String of(StatementTokens statement) {
    return statement.list().stream()
        .takeWhile(t -> t.type() == SqlToken.Type.WORD)
        .limit(MAX_WORDS)
        .map(SqlToken::text)
        .collect(Collectors.joining(" "));
  }
}
