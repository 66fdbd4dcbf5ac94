package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestructiveStatementCheckTest {

  private static final ScriptCheck CHECK = DestructiveStatementCheck::new;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DROP TABLE orders",
        "drop table if exists orders cascade",
        "DROP SCHEMA legacy CASCADE",
        "TRUNCATE orders",
        "TRUNCATE TABLE orders RESTART IDENTITY",
        "ALTER TABLE orders DROP COLUMN note",
        "ALTER TABLE orders DROP COLUMN IF EXISTS note",
        "ALTER TABLE orders DROP note",
        "ALTER TABLE IF EXISTS ONLY app.orders ADD COLUMN a int, DROP COLUMN note"
      })
  void destructiveStatementInVersionedMigrationIsAnError(String sql) {
    assertThat(ScriptCheckRun.run(CHECK, "V2__x.sql", sql))
        .singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DROP INDEX orders_idx",
        "DROP VIEW orders_view",
        "ALTER TABLE orders DROP CONSTRAINT orders_note_check",
        "ALTER TABLE orders ALTER COLUMN note DROP DEFAULT",
        "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL, ADD COLUMN x int",
        "SELECT 'DROP TABLE orders'",
        "DO $$ BEGIN EXECUTE 'TRUNCATE orders'; END $$",
        "-- DROP TABLE orders\nSELECT 1"
      })
  void nonDestructiveStatementsAreNotFlagged(String sql) {
    assertThat(ScriptCheckRun.run(CHECK, "V2__x.sql", sql)).isEmpty();
  }

  @Test
  void repeatableMigrationsAreCheckedLikeVersionedOnes() {
    assertThat(ScriptCheckRun.run(CHECK, "R__views.sql", "DROP TABLE scratch")).hasSize(1);
  }

  @Test
  void undoScriptsMayDestroy() {
    assertThat(ScriptCheckRun.run(CHECK, "U2__x.sql", "DROP TABLE orders; TRUNCATE t")).isEmpty();
  }

  @Test
  void allowCommentAnywhereInTheFileAllowsIt() {
    String sql = "DROP TABLE old_orders;\n-- schemagate:allow-destructive: replaced by orders_v2\n";
    assertThat(ScriptCheckRun.run(CHECK, "V2__x.sql", sql)).isEmpty();
  }

  @Test
  void allowCommentInsideAStringDoesNotAllowIt() {
    String sql = "SELECT '-- schemagate:allow-destructive';\nDROP TABLE old_orders;";
    assertThat(ScriptCheckRun.lines(CHECK, "V2__x.sql", sql)).containsExactly(2);
  }

  @Test
  void findingPointsAtTheDropOfTheColumn() {
    String sql = "ALTER TABLE orders\n  ADD COLUMN a int,\n  DROP COLUMN b;";
    assertThat(ScriptCheckRun.lines(CHECK, "V2__x.sql", sql)).containsExactly(3);
  }
}
