package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlToken;
import java.util.Locale;
import java.util.Set;

/**
 * {@code timestamp-without-time-zone}: {@code TIMESTAMP}, {@code TIMESTAMP(p)} or {@code TIMESTAMP
 * WITHOUT TIME ZONE} used as a type. Such values carry no zone, so what they mean depends on the
 * session that wrote them; {@code timestamptz} stores an instant.
 *
 * <p>A {@code timestamp} word is taken as a type after {@code ::}, {@code TYPE}, {@code AS}, {@code
 * RETURNS} or {@code SETOF}; after a column or argument name; before {@code (}, {@code [}, {@code
 * WITHOUT} or a string (the typed literal {@code timestamp '2020-01-01'} is flagged too: its value
 * is zone-less and is read in the session's time zone when compared with or stored into a {@code
 * timestamptz}, unless {@code AT TIME ZONE} follows and pins it to a zone); as {@code
 * pg_catalog.timestamp}; and anywhere in the signature of a function, procedure, aggregate or cast.
 * It is taken as a column name after {@code .}, after clause keywords such as {@code SELECT},
 * {@code BY}, {@code ADD} or {@code COLUMN}, and as the first word of a column list entry outside
 * routine definitions. Strings, quoted identifiers, comments and dollar-quoted bodies are single
 * tokens and never match.
 */
final class TimestampWithoutTimeZoneCheck extends CheckPass {

  static final String RULE = "timestamp-without-time-zone";

  /** Words after which {@code timestamp} names a column rather than a type. */
  private static final Set<String> NAME_INTRODUCERS =
      Set.of(
          "SELECT",
          "DISTINCT",
          "WHERE",
          "AND",
          "OR",
          "NOT",
          "ON",
          "BY",
          "COLUMN",
          "SET",
          "RETURNING",
          "FROM",
          "INTO",
          "WHEN",
          "THEN",
          "ELSE",
          "CASE",
          "IS",
          "IN",
          "HAVING",
          "USING",
          "TO",
          "RENAME",
          "VALUES",
          "LIKE",
          "BETWEEN",
          "ALL",
          "ANY",
          "SOME",
          "EXISTS",
          "ALTER",
          "DROP",
          "ADD",
          "INCLUDE",
          "KEY",
          "TABLE",
          "OVER",
          "PARTITION",
          "WITH",
          "RECURSIVE",
          "LIMIT",
          "OFFSET",
          "ONLY",
          "VIEW",
          "DEFAULT",
          "END");

  private static final Set<String> TYPE_INTRODUCERS = Set.of("TYPE", "AS", "RETURNS", "SETOF");

  private static final Set<String> ROUTINE_OBJECTS =
      Set.of("FUNCTION", "PROCEDURE", "AGGREGATE", "ROUTINE", "CAST");

  TimestampWithoutTimeZoneCheck(MigrationScript migration) {
    super(migration);
  }

  @Override
  public void statement(StatementTokens tokens) {
    boolean routine = definesRoutine(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.isWord(i, "TIMESTAMP")
          && !hasTimeZone(tokens, i)
          && !isPinnedToAZone(tokens, i)
          && isType(tokens, i, routine)) {
        findings.add(
            LintFinding.error(
                migration.file(),
                tokens.get(i).line(),
                RULE,
                tokens.isType(i + 1, SqlToken.Type.STRING)
                    ? "the literal timestamp '...' has no time zone and is read in the session's"
                        + " zone; write timestamptz '...' with an explicit offset"
                    : "timestamp without time zone stores wall-clock time with no zone; use"
                        + " timestamptz (timestamp with time zone)"));
      }
    }
  }

  private static boolean hasTimeZone(StatementTokens tokens, int timestamp) {
    int next = timestamp + 1;
    if (tokens.isSymbol(next, "(")) {
      next = tokens.afterGroup(next);
    }
    return tokens.wordsAt(next, "WITH", "TIME", "ZONE");
  }

  /** {@code timestamp '...' AT TIME ZONE 'UTC'} names an instant unambiguously. */
  private static boolean isPinnedToAZone(StatementTokens tokens, int timestamp) {
    return tokens.isType(timestamp + 1, SqlToken.Type.STRING)
        && tokens.wordsAt(timestamp + 2, "AT", "TIME", "ZONE");
  }

  private static boolean isType(StatementTokens tokens, int i, boolean routine) {
    if (tokens.isSymbol(i - 1, ".")) {
      return tokens.isWord(i - 2, "PG_CATALOG");
    }
    if (tokens.isSymbol(i - 1, "::")
        || tokens.isSymbol(i + 1, "(")
        || tokens.isSymbol(i + 1, "[")
        || tokens.isWord(i + 1, "WITHOUT")
        || tokens.isType(i + 1, SqlToken.Type.STRING)
        || routine) {
      return true;
    }
    if (i == 0) {
      return false;
    }
    SqlToken previous = tokens.get(i - 1);
    return switch (previous.type()) {
      case QUOTED_IDENTIFIER -> true;
      case WORD -> {
        String word = previous.name().toUpperCase(Locale.ROOT);
        yield TYPE_INTRODUCERS.contains(word) || !NAME_INTRODUCERS.contains(word);
      }
      default -> false;
    };
  }

  /** Statements whose parenthesised lists are argument types, not column names. */
  private static boolean definesRoutine(StatementTokens tokens) {
    if (!(tokens.isWord(0, "CREATE")
        || tokens.isWord(0, "ALTER")
        || tokens.isWord(0, "DROP")
        || tokens.isWord(0, "COMMENT"))) {
      return false;
    }
    for (int i = 1; i < Math.min(tokens.size(), 5); i++) {
      if (tokens.isType(i, SqlToken.Type.WORD)
          && ROUTINE_OBJECTS.contains(tokens.get(i).name().toUpperCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
