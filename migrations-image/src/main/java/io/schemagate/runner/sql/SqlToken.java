package io.schemagate.runner.sql;

import java.util.Locale;

/** One lexical token of PostgreSQL SQL, with the 1-based line where it starts. */
public record SqlToken(Type type, String text, int line) {

  /** The kinds of token the lexer tells apart. */
  public enum Type {
    /** An unquoted identifier or keyword; PostgreSQL folds it to lower case. */
    WORD,
    /** A {@code "quoted"} or {@code U&"quoted"} identifier, kept as written. */
    QUOTED_IDENTIFIER,
    /**
     * A string constant, with its prefix ({@code E}, {@code U&}, {@code B}, {@code X}, {@code N}).
     */
    STRING,
    /** A {@code $tag$...$tag$} string, as used for function bodies. */
    DOLLAR_STRING,
    NUMBER,
    /** A positional parameter such as {@code $1}. */
    PARAMETER,
    /** An operator, including {@code ::} casts. */
    OPERATOR,
    /** Parentheses, brackets, comma, dot, colon and any other single character. */
    PUNCT,
    SEMICOLON,
    COMMENT,
    WHITESPACE,
    /**
     * The data of a {@code COPY ... FROM STDIN}: from right after its semicolon through the {@code
     * \.} line.
     */
    COPY_DATA
  }

  /** Whether the token is part of a statement's text rather than layout, comment or COPY data. */
  public boolean significant() {
    return type != Type.WHITESPACE && type != Type.COMMENT && type != Type.COPY_DATA;
  }

  /** Whether this is the unquoted keyword (or identifier) {@code word}, in any letter case. */
  public boolean isWord(String word) {
    return type == Type.WORD && text.equalsIgnoreCase(word);
  }

  /** Whether this is the operator or punctuation {@code symbol}. */
  public boolean isSymbol(String symbol) {
    return (type == Type.OPERATOR || type == Type.PUNCT) && text.equals(symbol);
  }

  /**
   * The name this token denotes as PostgreSQL resolves it: unquoted words fold to lower case,
   * quoted identifiers lose their quotes; other tokens give their text unchanged.
   */
  public String name() {
    return switch (type) {
      case WORD -> text.toLowerCase(Locale.ROOT);
      case QUOTED_IDENTIFIER ->
          text.startsWith("\"") ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text;
      default -> text;
    };
  }
}
