package io.schemagate.runner.lint;

import io.schemagate.runner.engine.MigrationFileName.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code duplicate-version}: two versioned (or two undo) migrations with the same version, compared
 * as Flyway compares them ({@code 1} equals {@code 1.0}), or two repeatable migrations with the
 * same description. Flyway refuses such a folder.
 */
final class DuplicateVersionCheck implements FolderCheck {

  static final String RULE = "duplicate-version";

  @Override
  public List<LintFinding> check(List<MigrationScript> migrations) {
    List<LintFinding> findings = new ArrayList<>();
    // Grouping by Flyway's own version order puts "1" and "1.0" together.
    findings.addAll(duplicates(migrations, Kind.VERSIONED, m -> m.name().version(), "version"));
    findings.addAll(duplicates(migrations, Kind.UNDO, m -> m.name().version(), "undo version"));
    findings.addAll(
        duplicates(migrations, Kind.REPEATABLE, m -> m.name().description(), "description"));
    return findings;
  }

  private static <K extends Comparable<K>> List<LintFinding> duplicates(
      List<MigrationScript> migrations, Kind kind, Function<MigrationScript, K> key, String what) {
    Map<K, List<MigrationScript>> groups = new TreeMap<>();
    migrations.stream()
        .filter(m -> m.is(kind))
        .sorted(Comparator.comparing(MigrationScript::file))
        .forEach(m -> groups.computeIfAbsent(key.apply(m), k -> new ArrayList<>()).add(m));
    List<LintFinding> findings = new ArrayList<>();
    for (List<MigrationScript> group : groups.values()) {
      MigrationScript first = group.get(0);
      for (MigrationScript duplicate : group.subList(1, group.size())) {
        findings.add(
            LintFinding.error(
                duplicate.file(),
                1,
                RULE,
                "the same "
                    + what
                    + " as "
                    + first.file()
                    + "; Flyway refuses a folder with both, rename one"));
      }
    }
    return findings;
  }
}
