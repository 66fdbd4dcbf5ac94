package io.schemagate.runner.lint;

import java.util.List;
import java.util.Set;

/**
 * {@code add-column-not-null-without-default}: {@code ALTER TABLE ... ADD [COLUMN] ... NOT NULL}
 * with neither {@code DEFAULT} nor {@code GENERATED}. Existing rows would get NULL, so it fails on
 * any table that has rows; tables the same file created before are spared, being empty.
 */
final class AddColumnNotNullWithoutDefaultCheck extends CheckPass {

  static final String RULE = "add-column-not-null-without-default";

  private static final Set<String> TABLE_CONSTRAINTS =
      Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE");

  private final CreatedTables created = new CreatedTables();

  AddColumnNotNullWithoutDefaultCheck(MigrationScript migration) {
    super(migration);
  }

  @Override
  public void statement(StatementTokens tokens) {
    AlterTable.of(tokens)
        .filter(alter -> !created.contains(alter.table()))
        .ifPresent(alter -> alter.actions().forEach(a -> checkAction(migration, a, findings)));
    created.record(tokens);
  }

  private static void checkAction(
      MigrationScript migration, StatementTokens action, List<LintFinding> findings) {
    if (!action.isWord(0, "ADD") || addsTableConstraint(action)) {
      return;
    }
    int notNull = -1;
    boolean valueForExistingRows = false;
    int depth = 0;
    for (int i = 1; i < action.size(); i++) {
      if (action.isSymbol(i, "(")) {
        depth++;
      } else if (action.isSymbol(i, ")")) {
        depth--;
      } else if (depth == 0 && action.wordsAt(i, "NOT", "NULL") && notNull < 0) {
        notNull = i;
      } else if (depth == 0 && (action.isWord(i, "DEFAULT") || action.isWord(i, "GENERATED"))) {
        valueForExistingRows = true;
      }
    }
    if (notNull >= 0 && !valueForExistingRows) {
      findings.add(
          LintFinding.warning(
              migration.file(),
              action.get(notNull).line(),
              RULE,
              "ADD COLUMN ... NOT NULL without DEFAULT fails on a table that has rows; add a"
                  + " DEFAULT, or add the column nullable, backfill it, then SET NOT NULL"));
    }
  }

  private static boolean addsTableConstraint(StatementTokens action) {
    return action.size() > 1 && TABLE_CONSTRAINTS.stream().anyMatch(word -> action.isWord(1, word));
  }
}
