package io.schemagate.runner.sql;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * Splits a script into statements the way psql splits it, one at a time: a semicolon ends a
 * statement unless it is inside a string, quoted identifier, comment, dollar quote, parentheses, or
 * the {@code BEGIN ATOMIC ... END} body of a SQL-standard function or procedure. It reads the text
 * as it goes, so memory is bounded by the largest statement (a {@code COPY ... FROM STDIN} with its
 * data), not by the file. A leading byte-order mark is skipped.
 */
public final class SqlStatementReader implements Closeable {
  private final SqlLexer lexer;
  private final Reader reader;
  private Consumer<SqlToken> comments = c -> {};
  private boolean done;

  /** Statements read from {@code reader}; read errors surface as UncheckedIOException. */
  public SqlStatementReader(Reader reader) {
    this(new SqlSource(reader), reader);
  }

  /** Statements of text already in memory. */
  public static SqlStatementReader of(String text) {
    return new SqlStatementReader(new SqlSource(text), null);
  }

  private SqlStatementReader(SqlSource source, Reader reader) {
    this.lexer = new SqlLexer(source, 1);
    this.reader = reader;
    lexer.skipByteOrderMark();
  }

  /** Also hands every comment of the script, in order, to {@code listener}. */
  public SqlStatementReader onComment(Consumer<SqlToken> listener) {
    this.comments = listener;
    return this;
  }

  /**
   * The next statement; empty statements (only comments, or {@code ;;}) are skipped and the last
   * statement needs no semicolon.
   *
   * @return the statement, or null after the last one
   * @throws SqlSyntaxException for an unterminated string, quoted identifier, comment or dollar
   *     quote, or {@code COPY ... FROM STDIN} data without its {@code \.} line
   */
  public SqlStatement next() {
    StatementInProgress current = new StatementInProgress();
    while (!done) {
      if (!lexer.hasNext()) {
        done = true;
        if (current.isCopyFromStdin()) {
          throw new SqlSyntaxException(
              "COPY ... FROM STDIN needs a semicolon, then its data, then a line holding only \\.",
              current.firstLine());
        }
        return current.finish(null).orElse(null);
      }
      SqlToken token = lexer.next();
      if (token.type() == SqlToken.Type.COMMENT) {
        comments.accept(token);
      }
      if (token.type() == SqlToken.Type.SEMICOLON && current.endsAtSemicolon()) {
        String copyData =
            current.isCopyFromStdin() ? copyDataOf(lexer.nextCopyData().text()) : null;
        SqlStatement statement = current.finish(copyData).orElse(null);
        if (statement != null) {
          return statement;
        }
        current = new StatementInProgress();
      } else {
        current.add(token);
      }
    }
    return null;
  }

  /**
   * The data lines of a COPY_DATA token: without the rest of the COPY statement's line before them
   * and the {@code \.} line after them, each ending with a single {@code \n}.
   */
  private static String copyDataOf(String raw) {
    int start = raw.indexOf('\n') + 1;
    int end = raw.lastIndexOf('\n', raw.endsWith("\n") ? raw.length() - 2 : raw.length() - 1);
    StringBuilder data = new StringBuilder(Math.max(0, end + 1 - start));
    for (int i = start; i <= end; ) {
      int eol = raw.indexOf('\n', i);
      int stop = eol > i && raw.charAt(eol - 1) == '\r' ? eol - 1 : eol;
      data.append(raw, i, stop).append('\n');
      i = eol + 1;
    }
    return data.toString();
  }

  /** Closes the reader the statements come from. */
  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
