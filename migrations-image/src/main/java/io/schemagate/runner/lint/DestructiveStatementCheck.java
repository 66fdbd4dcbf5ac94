package io.schemagate.runner.lint;

import io.schemagate.runner.engine.MigrationFileName;
import io.schemagate.runner.sql.SqlToken;
import java.util.List;
import java.util.Locale;

/**
 * {@code destructive-statement}: {@code DROP TABLE}, {@code DROP SCHEMA}, {@code TRUNCATE} and
 * {@code ALTER TABLE ... DROP [COLUMN]} in a versioned or repeatable migration, which lose data an
 * undo script cannot bring back. Undo scripts are exempt (dropping is what they are for), and so is
 * a file that says it means it with the comment {@code -- schemagate:allow-destructive}.
 */
final class DestructiveStatementCheck extends CheckPass {

  static final String RULE = "destructive-statement";
  static final String ALLOW_COMMENT = "schemagate:allow-destructive";

  // Findings wait for the end of the file: the opt-in comment may come after the statement.
  private boolean allowed;

  DestructiveStatementCheck(MigrationScript migration) {
    super(migration);
    this.allowed = migration.is(MigrationFileName.Kind.UNDO);
  }

  @Override
  public void comment(SqlToken comment) {
    allowed |= commentBody(comment.text()).toLowerCase(Locale.ROOT).startsWith(ALLOW_COMMENT);
  }

  @Override
  public void statement(StatementTokens tokens) {
    if (allowed) {
      return;
    }
    if (tokens.wordsAt(0, "DROP", "TABLE") || tokens.wordsAt(0, "DROP", "SCHEMA")) {
      findings.add(
          finding(migration, tokens.get(0), tokens.get(1).text().toUpperCase(Locale.ROOT)));
    } else if (tokens.isWord(0, "TRUNCATE")) {
      findings.add(finding(migration, tokens.get(0), null));
    } else {
      AlterTable.of(tokens).ifPresent(alter -> findDroppedColumns(migration, alter, findings));
    }
  }

  @Override
  public List<LintFinding> findings() {
    return allowed ? List.of() : findings;
  }

  private static void findDroppedColumns(
      MigrationScript migration, AlterTable alter, List<LintFinding> findings) {
    for (StatementTokens action : alter.actions()) {
      if (action.isWord(0, "DROP") && !action.isWord(1, "CONSTRAINT")) {
        findings.add(
            LintFinding.error(
                migration.file(),
                action.get(0).line(),
                RULE,
                "ALTER TABLE "
                    + alter.table()
                    + " DROP COLUMN loses the column's data; "
                    + remedy()));
      }
    }
  }

  private static LintFinding finding(MigrationScript migration, SqlToken at, String droppedKind) {
    String what =
        droppedKind == null
            ? "TRUNCATE deletes every row"
            : "DROP " + droppedKind + " deletes it and its data";
    return LintFinding.error(migration.file(), at.line(), RULE, what + "; " + remedy());
  }

  private static String remedy() {
    return "if that is intended, add the comment -- " + ALLOW_COMMENT + " to the file";
  }

  private static String commentBody(String comment) {
    if (comment.startsWith("--")) {
      return comment.substring(2).strip();
    }
    return comment.substring(2, comment.length() - 2).strip();
  }
}
