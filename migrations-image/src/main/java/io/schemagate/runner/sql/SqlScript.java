package io.schemagate.runner.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration script split into statements the way psql splits it: a semicolon ends a statement
 * unless it is inside a string, quoted identifier, comment, dollar quote, parentheses, or the
 * {@code BEGIN ATOMIC ... END} body of a SQL-standard function or procedure.
 */
public final class SqlScript {

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final List<SqlStatement> statements;
  private final List<SqlToken> tokens;

  private SqlScript(List<SqlStatement> statements, List<SqlToken> tokens) {
    this.statements = List.copyOf(statements);
    this.tokens = List.copyOf(tokens);
  }

  /**
   * Splits {@code text} into statements; empty statements (only comments, or {@code ;;}) are
   * skipped and a last statement needs no semicolon.
   *
   * @throws SqlSyntaxException for an unterminated string, quoted identifier, comment or dollar
   *     quote, or {@code COPY ... FROM STDIN} data without its {@code \.} line
   */
  public static SqlScript parse(String text) {
    String body = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    SqlLexer lexer = new SqlLexer(body);
    List<SqlToken> all = new ArrayList<>();
    List<SqlStatement> statements = new ArrayList<>();
    StatementInProgress current = new StatementInProgress();
    while (lexer.hasNext()) {
      SqlToken token = lexer.next();
      all.add(token);
      if (token.type() == SqlToken.Type.SEMICOLON && current.endsAtSemicolon()) {
        String copyData = null;
        if (current.isCopyFromStdin()) {
          SqlToken data = lexer.nextCopyData();
          all.add(data);
          copyData = copyDataOf(data.text());
        }
        current.finish(copyData).ifPresent(statements::add);
        current = new StatementInProgress();
      } else {
        current.add(token);
      }
    }
    if (current.isCopyFromStdin()) {
      throw new SqlSyntaxException(
          "COPY ... FROM STDIN needs a semicolon, then its data, then a line holding only \\.",
          current.firstLine());
    }
    current.finish(null).ifPresent(statements::add);
    return new SqlScript(statements, all);
  }

  public List<SqlStatement> statements() {
    return statements;
  }

  /** Every token of the file, in order, including comments, whitespace and COPY data. */
  public List<SqlToken> tokens() {
    return tokens;
  }

  /** Whether every statement can run inside one transaction (true for a script without any). */
  public boolean transactional() {
    return statements.stream().allMatch(SqlStatement::transactional);
  }

  /** Whether the script has statements and none of them can run inside a transaction. */
  public boolean nonTransactional() {
    return !statements.isEmpty() && statements.stream().noneMatch(SqlStatement::transactional);
  }

  /**
   * The data lines of a COPY_DATA token: without the rest of the COPY statement's line before them
   * and the {@code \.} line after them, each ending with a single {@code \n}.
   */
  private static String copyDataOf(String raw) {
    List<String> lines = new ArrayList<>(List.of(raw.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    StringBuilder data = new StringBuilder();
    for (String dataLine : lines.subList(1, lines.size() - 1)) {
      data.append(dataLine.endsWith("\r") ? dataLine.substring(0, dataLine.length() - 1) : dataLine)
          .append('\n');
    }
    return data.toString();
  }
}
