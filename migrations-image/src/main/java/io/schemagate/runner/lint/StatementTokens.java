package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.SqlToken;
import io.schemagate.runner.sql.TransactionRequirement;
import java.util.List;

/**
 * The significant tokens of one statement (no comments or whitespace), with the look-ups the rules
 * use; reading past either end yields nothing rather than failing.
 */
final class StatementTokens {

  private final List<SqlToken> tokens;
  private TransactionRequirement requirement;

  private StatementTokens(List<SqlToken> tokens) {
    this.tokens = tokens;
  }

  static StatementTokens of(SqlStatement statement) {
    return of(statement.tokens());
  }

  static StatementTokens of(List<SqlToken> tokens) {
    return new StatementTokens(tokens.stream().filter(SqlToken::significant).toList());
  }

  int size() {
    return tokens.size();
  }

  /** The line of the first token: where the statement starts (1 for an empty list). */
  int line() {
    return tokens.isEmpty() ? 1 : tokens.get(0).line();
  }

  /** What the statement needs from the transaction it runs in. */
  TransactionRequirement requirement() {
    if (requirement == null) {
      requirement = TransactionRequirement.of(tokens);
    }
    return requirement;
  }

  SqlToken get(int i) {
    return tokens.get(i);
  }

  List<SqlToken> list() {
    return tokens;
  }

  boolean isWord(int i, String word) {
    return i >= 0 && i < tokens.size() && tokens.get(i).isWord(word);
  }

  boolean isSymbol(int i, String symbol) {
    return i >= 0 && i < tokens.size() && tokens.get(i).isSymbol(symbol);
  }

  boolean isType(int i, SqlToken.Type type) {
    return i >= 0 && i < tokens.size() && tokens.get(i).type() == type;
  }

  /** Whether the tokens from {@code i} are the given words, in order. */
  boolean wordsAt(int i, String... words) {
    for (int k = 0; k < words.length; k++) {
      if (!isWord(i + k, words[k])) {
        return false;
      }
    }
    return true;
  }

  /** The index just past the parenthesised group opening at {@code open}. */
  int afterGroup(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (isSymbol(i, "(")) {
        depth++;
      } else if (isSymbol(i, ")") && --depth == 0) {
        return i + 1;
      }
    }
    return tokens.size();
  }
}
