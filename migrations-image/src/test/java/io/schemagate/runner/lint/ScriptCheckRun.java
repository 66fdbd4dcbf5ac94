package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlStatementReader;
import java.util.List;

/** Runs one script check on SQL text given inline, as if it were the file {@code file}. */
final class ScriptCheckRun {

  private ScriptCheckRun() {}

  static List<LintFinding> run(ScriptCheck check, String file, String sql) {
    return Linter.check(List.of(check), MigrationScript.of(file), SqlStatementReader.of(sql));
  }

  static List<Integer> lines(ScriptCheck check, String file, String sql) {
    return run(check, file, sql).stream().map(LintFinding::line).toList();
  }
}
