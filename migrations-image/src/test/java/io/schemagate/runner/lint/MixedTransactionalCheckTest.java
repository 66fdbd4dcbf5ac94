package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MixedTransactionalCheckTest {

  private static final ScriptCheck CHECK = MixedTransactionalCheck::new;

  @Test
  void nonTransactionalStatementBesideTransactionalOnesIsAnError() {
    String sql = "CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY i ON t (a);";
    assertThat(ScriptCheckRun.run(CHECK, "V4__x.sql", sql))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.severity()).isEqualTo(Severity.ERROR);
              assertThat(f.message())
                  .contains("CREATE INDEX CONCURRENTLY")
                  .contains("line 1")
                  .contains("migration of its own");
            });
  }

  @Test
  void onlyNonTransactionalStatementsAreFine() {
    String sql = "CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;";
    assertThat(ScriptCheckRun.run(CHECK, "V4__x.sql", sql)).isEmpty();
  }

  @Test
  void onlyTransactionalStatementsAreFine() {
    String sql = "CREATE TABLE t (a int);\nALTER TYPE mood ADD VALUE 'meh';";
    assertThat(ScriptCheckRun.run(CHECK, "V4__x.sql", sql)).isEmpty();
  }

  @Test
  void transactionControlIsLeftToItsOwnRule() {
    assertThat(ScriptCheckRun.run(CHECK, "V4__x.sql", "BEGIN; CREATE TABLE t (a int); COMMIT;"))
        .isEmpty();
  }
}
