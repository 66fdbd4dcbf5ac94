package io.schemagate.runner.lint;

/**
 * One problem found in a migrations folder.
 *
 * @param file the file's path relative to the migrations folder, with {@code /} separators
 * @param line the 1-based line of the offending token (1 for findings about a whole file)
 * @param rule the rule's id, e.g. {@code destructive-statement}
 */
public record LintFinding(String file, int line, String rule, Severity severity, String message) {

  static LintFinding error(String file, int line, String rule, String message) {
    return new LintFinding(file, line, rule, Severity.ERROR, message);
  }

  static LintFinding warning(String file, int line, String rule, String message) {
    return new LintFinding(file, line, rule, Severity.WARNING, message);
  }

  /**
   * The finding as a compiler-style line: {@code file:line: rule: message}, with {@code warning: }
   * before the message of a warning.
   */
  public String format() {
    String prefix = severity == Severity.WARNING ? "warning: " : "";
    return file + ":" + line + ": " + rule + ": " + prefix + message;
  }
}
