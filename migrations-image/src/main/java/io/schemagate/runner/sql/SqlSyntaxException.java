package io.schemagate.runner.sql;

/** A script that cannot be split into statements, such as one with an unterminated string. */
public final class SqlSyntaxException extends RuntimeException {

  private final int line;
  private final String reason;

  public SqlSyntaxException(String reason, int line) {
    super("line " + line + ": " + reason);
    this.reason = reason;
    this.line = line;
  }

  /** The 1-based line where the offending construct starts. */
  public int line() {
    return line;
  }

  /** What is wrong, without the line. */
  public String reason() {
    return reason;
  }
}
