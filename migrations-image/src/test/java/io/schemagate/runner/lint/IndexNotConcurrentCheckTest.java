package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexNotConcurrentCheckTest {

  private static final ScriptCheck CHECK = IndexNotConcurrentCheck::new;

  @Test
  void plainIndexOnAnExistingTableIsAWarningAtTheIndexKeyword() {
    assertThat(
            ScriptCheckRun.run(
                CHECK, "V3__x.sql", "SELECT 1;\nCREATE UNIQUE\n INDEX i ON orders (a)"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.message()).contains("orders");
            });
  }

  @Test
  void indexWithoutNameAndOnlyIsRecognised() {
    assertThat(ScriptCheckRun.run(CHECK, "V3__x.sql", "CREATE INDEX ON ONLY app.orders (a)"))
        .hasSize(1);
  }

  @Test
  void concurrentIndexIsNotFlagged() {
    assertThat(
            ScriptCheckRun.run(
                CHECK,
                "V3__x.sql",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (a)"))
        .isEmpty();
  }

  @Test
  void indexOnATableTheFileCreatedIsNotFlagged() {
    String sql =
        "CREATE TABLE IF NOT EXISTS app.Orders (a int);\n"
            + "CREATE INDEX i ON orders (a);\n"
            + "CREATE INDEX j ON app.\"orders\" (a);";
    assertThat(ScriptCheckRun.run(CHECK, "V3__x.sql", sql)).isEmpty();
  }

  @Test
  void indexBeforeTheTableIsCreatedOrOnAnotherSchemaIsFlagged() {
    String sql =
        "CREATE INDEX i ON orders (a);\n"
            + "CREATE TABLE app.orders (a int);\n"
            + "CREATE INDEX j ON billing.orders (a);";
    assertThat(ScriptCheckRun.lines(CHECK, "V3__x.sql", sql)).containsExactly(1, 3);
  }

  @Test
  void quotedTableNameKeepsItsCase() {
    String sql = "CREATE TABLE \"Orders\" (a int);\nCREATE INDEX i ON orders (a);";
    assertThat(ScriptCheckRun.lines(CHECK, "V3__x.sql", sql)).containsExactly(2);
  }
}
