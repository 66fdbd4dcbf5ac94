package io.schemagate.runner.lint;

import io.schemagate.runner.engine.MigrationFileName.Kind;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code missing-undo}: a versioned migration without an undo script of the same version, so {@code
 * undo} and downgrades cannot pass below it.
 */
final class MissingUndoCheck implements FolderCheck {

  static final String RULE = "missing-undo";

  @Override
  public List<LintFinding> check(List<MigrationScript> migrations) {
    // Versions compare in Flyway's order, so U1_0 undoes V1.
    Set<MigrationVersion> undone = new TreeSet<>();
    migrations.stream().filter(m -> m.is(Kind.UNDO)).forEach(m -> undone.add(m.name().version()));
    return migrations.stream()
        .filter(m -> m.is(Kind.VERSIONED) && !undone.contains(m.name().version()))
        .map(
            m ->
                LintFinding.warning(
                    m.file(),
                    1,
                    RULE,
                    "no undo script U"
                        + m.name().versionText()
                        + "__*.sql; undo and downgrades cannot go below version "
                        + m.name().versionText()))
        .toList();
  }
}
