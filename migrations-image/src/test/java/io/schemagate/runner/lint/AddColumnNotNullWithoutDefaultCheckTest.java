package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddColumnNotNullWithoutDefaultCheckTest {

  private static final ScriptCheck CHECK = AddColumnNotNullWithoutDefaultCheck::new;

  @Test
  void notNullColumnWithoutDefaultIsAWarningAtNot() {
    String sql = "ALTER TABLE orders\n  ADD COLUMN region text\n  NOT NULL;";
    assertThat(ScriptCheckRun.run(CHECK, "V6__x.sql", sql))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
  }

  @Test
  void eachActionIsCheckedOnItsOwn() {
    String sql = "ALTER TABLE orders ADD a int DEFAULT 0 NOT NULL,\n ADD b int NOT NULL;";
    assertThat(ScriptCheckRun.lines(CHECK, "V6__x.sql", sql)).containsExactly(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu'",
        "ALTER TABLE orders ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL",
        "ALTER TABLE orders ADD COLUMN region text",
        "ALTER TABLE orders ADD COLUMN region text CHECK (region IS NOT NULL)",
        "ALTER TABLE orders ADD CONSTRAINT c CHECK (region IS NOT NULL)",
        "ALTER TABLE orders ALTER COLUMN region SET NOT NULL",
        "CREATE TABLE orders (a int);\nALTER TABLE orders ADD COLUMN region text NOT NULL"
      })
  void columnsThatCanBeFilledOrTablesThatAreNewAreFine(String sql) {
    assertThat(ScriptCheckRun.run(CHECK, "V6__x.sql", sql)).isEmpty();
  }
}
