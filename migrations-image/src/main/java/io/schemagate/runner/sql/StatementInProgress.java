package io.schemagate.runner.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokens of the statement being read, with the nesting that decides whether a semicolon ends
 * it: parentheses, and BEGIN/CASE ... END inside a SQL-standard routine body (the same heuristic
 * psql uses, since those bodies contain semicolons outside any quote).
 */
final class StatementInProgress {

  private final List<SqlToken> tokens = new ArrayList<>();
  private final List<SqlToken> significant = new ArrayList<>();
  private int firstSignificant = -1;
  private int lastSignificant = -1;
  private int parenDepth;
  private int blockDepth;

  void add(SqlToken token) {
    tokens.add(token);
    if (!token.significant()) {
      return;
    }
    significant.add(token);
    if (firstSignificant < 0) {
      firstSignificant = tokens.size() - 1;
    }
    lastSignificant = tokens.size() - 1;
    if (token.isSymbol("(")) {
      parenDepth++;
    } else if (token.isSymbol(")")) {
      parenDepth = Math.max(0, parenDepth - 1);
    } else if (token.type() == SqlToken.Type.WORD && parenDepth == 0 && definesRoutine()) {
      trackBlock(token);
    }
  }

  boolean endsAtSemicolon() {
    return parenDepth == 0 && blockDepth == 0;
  }

  boolean isCopyFromStdin() {
    if (significant.isEmpty() || !significant.get(0).isWord("COPY")) {
      return false;
    }
    int depth = 0;
    for (int i = 1; i + 1 < significant.size(); i++) {
      SqlToken token = significant.get(i);
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && token.isWord("FROM") && significant.get(i + 1).isWord("STDIN")) {
        return true;
      }
    }
    return false;
  }

  int firstLine() {
    return significant.isEmpty() ? 1 : significant.get(0).line();
  }

  /** The statement from its first to its last significant token; empty when there is none. */
  Optional<SqlStatement> finish(String copyData) {
    if (significant.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sql = new StringBuilder();
    for (SqlToken token : tokens.subList(firstSignificant, lastSignificant + 1)) {
      sql.append(token.text());
    }
    boolean transactional =
        TransactionRequirement.of(significant) == TransactionRequirement.TRANSACTIONAL;
    return Optional.of(
        new SqlStatement(sql.toString(), significant.get(0).line(), transactional, copyData));
  }

  private void trackBlock(SqlToken word) {
    if (word.isWord("BEGIN")) {
      blockDepth++;
    } else if (word.isWord("CASE") && blockDepth > 0) {
      // CASE ... END only matters once inside a body; outside one, no semicolon is at stake.
      blockDepth++;
    } else if (word.isWord("END") && blockDepth > 0) {
      blockDepth--;
    }
  }

  /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. */
  private boolean definesRoutine() {
    if (significant.size() < 2 || !significant.get(0).isWord("CREATE")) {
      return false;
    }
    int kind = 1;
    if (significant.get(1).isWord("OR")) {
      if (significant.size() < 4 || !significant.get(2).isWord("REPLACE")) {
        return false;
      }
      kind = 3;
    }
    SqlToken routine = significant.get(kind);
    return routine.isWord("FUNCTION") || routine.isWord("PROCEDURE");
  }
}
