package io.schemagate.runner.lint;

import java.util.List;

/** A rule that looks at how the migration files of a folder relate to each other. */
interface FolderCheck {

  List<LintFinding> check(List<MigrationScript> migrations);
}
