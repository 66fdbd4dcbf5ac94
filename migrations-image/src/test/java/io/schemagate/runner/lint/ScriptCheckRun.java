package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlScript;
import java.util.List;

/** Runs one script check on SQL text given inline, as if it were the file {@code file}. */
final class ScriptCheckRun {

  private ScriptCheckRun() {}

  static List<LintFinding> run(ScriptCheck check, String file, String sql) {
    return check.check(MigrationScript.of(file), SqlScript.parse(sql));
  }

  static List<Integer> lines(ScriptCheck check, String file, String sql) {
    return run(check, file, sql).stream().map(LintFinding::line).toList();
  }
}
