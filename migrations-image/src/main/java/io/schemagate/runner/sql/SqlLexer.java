package io.schemagate.runner.sql;

import io.schemagate.runner.sql.SqlToken.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits PostgreSQL SQL text into tokens, following the server's lexical rules closely enough that
 * a semicolon inside a string, quoted identifier, comment or dollar quote is never mistaken for a
 * statement end. Assumes {@code standard_conforming_strings = on} (the default since PostgreSQL
 * 9.1): backslashes escape only inside {@code E'...'} strings.
 */
public final class SqlLexer {

  private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

  private final SqlSource text;
  private int pos;
  private int line;
  private int tokenStart;

  /** A lexer over {@code text} whose first line is line 1. */
  public SqlLexer(String text) {
    this(text, 1);
  }

  /** A lexer over {@code text} whose first line is numbered {@code firstLine}. */
  public SqlLexer(String text, int firstLine) {
    this(new SqlSource(text), firstLine);
  }

  /**
   * A lexer over text it reads as it goes, keeping only the token in hand: what a script of any
   * size is split with.
   */
  SqlLexer(SqlSource text, int firstLine) {
    this.text = text;
    this.line = firstLine;
  }

  /** All tokens of {@code text}, numbering lines from 1. */
  public static List<SqlToken> tokenize(String text) {
    return tokenize(text, 1);
  }

  /** All tokens of {@code text}, numbering lines from {@code firstLine}. */
  public static List<SqlToken> tokenize(String text, int firstLine) {
    SqlLexer lexer = new SqlLexer(text, firstLine);
    List<SqlToken> tokens = new ArrayList<>();
    while (lexer.hasNext()) {
      tokens.add(lexer.next());
    }
    return tokens;
  }

  public boolean hasNext() {
    return text.has(pos);
  }

  /** Skips a byte-order mark at the very start of the text, as psql and Flyway do. */
  void skipByteOrderMark() {
    if (pos == 0 && text.has(0) && text.at(0) == '\uFEFF') {
      pos = 1;
    }
  }

  /**
   * The next token.
   *
   * @throws SqlSyntaxException for an unterminated string, quoted identifier, comment or dollar
   *     quote
   */
  public SqlToken next() {
    tokenStart = pos;
    text.release(pos);
    Type type = scan();
    return emit(type);
  }

  /**
   * Reads the data of a {@code COPY ... FROM STDIN} whose terminating semicolon was the last token
   * returned: the rest of that line (which may hold only blanks or a comment), then data lines up
   * to and including the line {@code \.}.
   *
   * @throws SqlSyntaxException when other SQL follows on the semicolon's line or the data has no
   *     {@code \.} line
   */
  SqlToken nextCopyData() {
    tokenStart = pos;
    text.release(pos);
    int copyLine = line;
    int endOfLine = lineEnd(pos);
    String rest = text.text(pos, endOfLine).strip();
    if (!rest.isEmpty() && !rest.startsWith("--")) {
      throw new SqlSyntaxException(
          "COPY ... FROM STDIN must be the last statement on its line; its data starts on the"
              + " next line",
          copyLine);
    }
    pos = text.has(endOfLine) ? endOfLine + 1 : endOfLine;
    while (true) {
      if (!text.has(pos)) {
        throw new SqlSyntaxException(
            "COPY ... FROM STDIN data is not terminated by a line holding only \\.", copyLine);
      }
      int end = lineEnd(pos);
      boolean terminator =
          (end - pos == 2 || (end - pos == 3 && text.at(pos + 2) == '\r'))
              && text.at(pos) == '\\'
              && text.at(pos + 1) == '.';
      pos = text.has(end) ? end + 1 : end;
      if (terminator) {
        return emit(Type.COPY_DATA);
      }
    }
  }

  private SqlToken emit(Type type) {
    String tokenText = text.text(tokenStart, pos);
    SqlToken token = new SqlToken(type, tokenText, line);
    line += newlines(tokenStart, pos);
    return token;
  }

  /** Line breaks in {@code text[from, to)}; a plain loop, since this runs for every token. */
  private int newlines(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (text.at(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private Type scan() {
    char c = text.at(pos);
    if (isWhitespace(c)) {
      while (text.has(pos) && isWhitespace(text.at(pos))) {
        pos++;
      }
      return Type.WHITESPACE;
    }
    if (startsWith("--")) {
      pos = lineEnd(pos);
      return Type.COMMENT;
    }
    if (startsWith("/*")) {
      scanBlockComment();
      return Type.COMMENT;
    }
    if (c == '\'') {
      scanQuoted('\'', false, "quoted string");
      return Type.STRING;
    }
    if (c == '"') {
      scanQuoted('"', false, "quoted identifier");
      return Type.QUOTED_IDENTIFIER;
    }
    if (isIdentifierStart(c)) {
      return scanWordOrPrefixedLiteral(c);
    }
    if (c == '$') {
      return scanDollar();
    }
    if (isDigit(c) || (c == '.' && isDigit(charAt(pos + 1)))) {
      scanNumber();
      return Type.NUMBER;
    }
    if (c == ';') {
      pos++;
      return Type.SEMICOLON;
    }
    if (c == ':' && (charAt(pos + 1) == ':' || charAt(pos + 1) == '=')) {
      pos += 2;
      return Type.OPERATOR;
    }
    if (OPERATOR_CHARS.indexOf(c) >= 0) {
      // An operator never contains the start of a comment: "x*--y" is "x", "*", then a comment.
      pos++;
      while (text.has(pos)
          && OPERATOR_CHARS.indexOf(text.at(pos)) >= 0
          && !startsWith("--")
          && !startsWith("/*")) {
        pos++;
      }
      return Type.OPERATOR;
    }
    pos++;
    return Type.PUNCT;
  }

  private Type scanWordOrPrefixedLiteral(char c) {
    char next = charAt(pos + 1);
    if ((c == 'E' || c == 'e') && next == '\'') {
      pos++;
      scanEscapeString();
      return Type.STRING;
    }
    if ("BbXxNn".indexOf(c) >= 0 && next == '\'') {
      pos++;
      scanQuoted('\'', false, "quoted string");
      return Type.STRING;
    }
    if ((c == 'U' || c == 'u') && next == '&') {
      char quote = charAt(pos + 2);
      if (quote == '\'') {
        pos += 2;
        scanQuoted('\'', false, "quoted string");
        return Type.STRING;
      }
      if (quote == '"') {
        pos += 2;
        scanQuoted('"', false, "quoted identifier");
        return Type.QUOTED_IDENTIFIER;
      }
    }
    pos++;
    while (text.has(pos) && isIdentifierPart(text.at(pos))) {
      pos++;
    }
    return Type.WORD;
  }

  /** Scans from an opening quote to its closing one; a doubled quote stands for itself. */
  private void scanQuoted(char quote, boolean backslashEscapes, String what) {
    int startLine = lineAt(pos);
    pos++;
    while (text.has(pos)) {
      char c = text.at(pos);
      if (backslashEscapes && c == '\\') {
        pos += 2;
      } else if (c == quote) {
        if (charAt(pos + 1) == quote) {
          pos += 2;
        } else {
          pos++;
          return;
        }
      } else {
        pos++;
      }
    }
    throw new SqlSyntaxException("unterminated " + what, startLine);
  }

  /**
   * An {@code E'...'} string. PostgreSQL continues a string across whitespace that contains a
   * newline ({@code E'a\''<newline>'b\''} is one constant), and the continuation keeps the escape
   * rules, so it is scanned as part of the same token.
   */
  private void scanEscapeString() {
    scanQuoted('\'', true, "quoted string");
    int continuation = continuationQuote(pos);
    while (continuation >= 0) {
      pos = continuation;
      scanQuoted('\'', true, "quoted string");
      continuation = continuationQuote(pos);
    }
  }

  /** Where a string continues after {@code from}, or -1 when it does not. */
  private int continuationQuote(int from) {
    int i = from;
    while (text.has(i) && (text.at(i) == ' ' || text.at(i) == '\t')) {
      i++;
    }
    boolean sawNewline = false;
    while (text.has(i)) {
      char c = text.at(i);
      if (c == '\n' || c == '\r') {
        sawNewline = true;
        i++;
      } else if (sawNewline && isWhitespace(c)) {
        i++;
      } else if (sawNewline && text.startsWith("--", i)) {
        i = lineEnd(i);
      } else {
        break;
      }
    }
    return sawNewline && text.has(i) && text.at(i) == '\'' ? i : -1;
  }

  private void scanBlockComment() {
    int startLine = lineAt(pos);
    int depth = 0;
    while (text.has(pos)) {
      if (startsWith("/*")) {
        depth++;
        pos += 2;
      } else if (startsWith("*/")) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
    throw new SqlSyntaxException("unterminated /* comment", startLine);
  }

  private Type scanDollar() {
    if (isDigit(charAt(pos + 1))) {
      pos++;
      while (isDigit(charAt(pos))) {
        pos++;
      }
      return Type.PARAMETER;
    }
    int tagEnd = pos + 1;
    if (isIdentifierStart(charAt(tagEnd))) {
      tagEnd++;
      while (isIdentifierPart(charAt(tagEnd)) && charAt(tagEnd) != '$') {
        tagEnd++;
      }
    }
    if (charAt(tagEnd) != '$') {
      pos++;
      return Type.PUNCT;
    }
    String delimiter = text.text(pos, tagEnd + 1);
    int close = text.indexOf(delimiter, tagEnd + 1);
    if (close < 0) {
      throw new SqlSyntaxException("unterminated dollar-quoted string " + delimiter, lineAt(pos));
    }
    pos = close + delimiter.length();
    return Type.DOLLAR_STRING;
  }

  private void scanNumber() {
    if (charAt(pos) == '0' && "xXoObB".indexOf(charAt(pos + 1)) >= 0) {
      pos += 2;
      while (Character.isLetterOrDigit(charAt(pos)) || charAt(pos) == '_') {
        pos++;
      }
      return;
    }
    skipDigits();
    // "1..5" is not a number followed by ".5": leave ".." alone.
    if (charAt(pos) == '.' && charAt(pos + 1) != '.') {
      pos++;
      skipDigits();
    }
    if ((charAt(pos) == 'e' || charAt(pos) == 'E')) {
      int exponent = pos + 1;
      if (charAt(exponent) == '+' || charAt(exponent) == '-') {
        exponent++;
      }
      if (isDigit(charAt(exponent))) {
        pos = exponent;
        skipDigits();
      }
    }
  }

  private void skipDigits() {
    while (isDigit(charAt(pos)) || (charAt(pos) == '_' && isDigit(charAt(pos + 1)))) {
      pos++;
    }
  }

  /** The line of {@code offset}, which lies within the token being scanned. */
  private int lineAt(int offset) {
    return line + newlines(tokenStart, offset);
  }

  /** The position of the line break ending the line at {@code from}, or the end of the text. */
  private int lineEnd(int from) {
    int i = from;
    while (text.has(i) && text.at(i) != '\n') {
      i++;
    }
    return i;
  }

  private boolean startsWith(String s) {
    return text.startsWith(s, pos);
  }

  private char charAt(int i) {
    return text.atOrNul(i);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }
}
