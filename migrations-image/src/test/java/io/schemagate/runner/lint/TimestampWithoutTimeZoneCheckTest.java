package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampWithoutTimeZoneCheckTest {

  private static final ScriptCheck CHECK = TimestampWithoutTimeZoneCheck::new;

  private static int count(String sql) {
    return ScriptCheckRun.run(CHECK, "V1__x.sql", sql).size();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE TABLE t (id int, created_at timestamp NOT NULL)",
        "CREATE TABLE t (created_at TIMESTAMP(3))",
        "CREATE TABLE t (created_at timestamp without time zone)",
        "CREATE TABLE t (created_at timestamp(6) WITHOUT TIME ZONE DEFAULT now())",
        "CREATE TABLE t (\"Created\" timestamp)",
        "CREATE TABLE t (timestamp timestamp)",
        "CREATE TABLE t (at timestamp[])",
        "ALTER TABLE t ALTER COLUMN c TYPE timestamp USING c::timestamp",
        "ALTER TABLE t ALTER COLUMN c SET DATA TYPE timestamp",
        "ALTER TABLE t ADD COLUMN c timestamp",
        "SELECT now()::timestamp",
        "SELECT CAST(now() AS timestamp)",
        "CREATE DOMAIN moment AS timestamp",
        "CREATE TYPE span AS (starts timestamp, ends timestamptz)",
        "CREATE FUNCTION f(timestamp, int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
        "CREATE FUNCTION f(at timestamptz) RETURNS timestamp LANGUAGE sql AS $$ SELECT 1 $$",
        "DROP FUNCTION f(timestamp)",
        "SELECT pg_catalog.timestamp '2020-01-01'",
        "INSERT INTO t VALUES (timestamp '2020-01-01 00:00')"
      })
  void timestampAsATypeIsFlagged(String sql) {
    assertThat(count(sql)).isEqualTo(sql.contains("USING") ? 2 : 1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE TABLE t (created_at timestamptz)",
        "CREATE TABLE t (created_at TIMESTAMP WITH TIME ZONE)",
        "CREATE TABLE t (created_at timestamp(3) with time zone)",
        "CREATE TABLE t (created_at timestamptz DEFAULT current_timestamp)",
        "SELECT localtimestamp, current_timestamp",
        "UPDATE t SET at = timestamp '2020-01-01 00:00' AT TIME ZONE 'UTC'",
        "INSERT INTO t (note) VALUES ('timestamp without time zone')",
        "COMMENT ON TABLE t IS 'uses timestamp'",
        "CREATE TABLE t (id int) -- created timestamp\n",
        "CREATE TABLE \"timestamp\" (id int)",
        "CREATE TABLE t (timestamp timestamptz)",
        "CREATE TABLE t (id int, timestamp timestamptz)",
        "SELECT timestamp FROM events ORDER BY timestamp",
        "SELECT e.timestamp FROM events e",
        "CREATE INDEX ON events (timestamp)",
        "UPDATE events SET timestamp = now()",
        "ALTER TABLE events RENAME COLUMN timestamp TO happened_at",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
            + "DECLARE t timestamp; BEGIN PERFORM now()::timestamp; END $$"
      })
  void timestampOutsideATypePositionIsNotFlagged(String sql) {
    assertThat(count(sql)).isZero();
  }

  @Test
  void findingPointsAtTheTimestampToken() {
    String sql = "CREATE TABLE t (\n  id int,\n  created_at\n    timestamp\n);";
    assertThat(ScriptCheckRun.lines(CHECK, "V1__x.sql", sql)).containsExactly(4);
  }

  @Test
  void typedLiteralGetsItsOwnAdvice() {
    assertThat(ScriptCheckRun.run(CHECK, "V1__x.sql", "SELECT timestamp '2020-01-01'"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("timestamptz '...'"));
  }
}
