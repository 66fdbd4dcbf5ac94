package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionControlCheckTest {

  private static final ScriptCheck CHECK = TransactionControlCheck::new;

  @Test
  void beginAndCommitAroundAMigrationAreErrors() {
    String sql = "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;";
    assertThat(ScriptCheckRun.lines(CHECK, "V5__x.sql", sql)).containsExactly(1, 3);
  }

  @Test
  void savepointsAndRoutineBodiesAreNotTransactionControl() {
    String sql =
        "SAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nRELEASE a;\n"
            + "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;\n"
            + "DO $$ BEGIN NULL; END $$;";
    assertThat(ScriptCheckRun.run(CHECK, "V5__x.sql", sql)).isEmpty();
  }
}
