package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlScript;
import java.util.List;

/** A rule that looks at the statements of one migration file. */
interface ScriptCheck {

  List<LintFinding> check(MigrationScript migration, SqlScript script);
}
