package io.schemagate.runner.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionRequirementTest {

  private static TransactionRequirement of(String sql) {
    return TransactionRequirement.of(SqlLexer.tokenize(sql));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "create unique index concurrently if not exists i on t (a)",
        "DROP INDEX CONCURRENTLY IF EXISTS i",
        "REINDEX INDEX CONCURRENTLY i",
        "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
        "REINDEX SYSTEM",
        "REINDEX DATABASE app",
        "REINDEX SCHEMA app",
        "REINDEX (VERBOSE) DATABASE app",
        "ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY",
        "CREATE DATABASE app",
        "DROP DATABASE app",
        "CREATE TABLESPACE fast LOCATION '/x'",
        "DROP TABLESPACE fast",
        "ALTER DATABASE app SET TABLESPACE fast",
        "ALTER SYSTEM SET work_mem = '64MB'",
        "VACUUM",
        "vacuum (analyze) t",
        "CLUSTER",
        "CLUSTER VERBOSE",
        "CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p",
        "ALTER SUBSCRIPTION s DISABLE",
        "DROP SUBSCRIPTION s",
        "DISCARD ALL",
        "-- leading comment\n  VACUUM t"
      })
  void statementsPostgresRefusesInATransactionBlockAreNonTransactional(String sql) {
    assertThat(of(sql)).isEqualTo(TransactionRequirement.NON_TRANSACTIONAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE INDEX i ON t (a)",
        "CREATE INDEX concurrently_idx ON t (a)",
        "REINDEX TABLE t",
        "ALTER TABLE m DETACH PARTITION m_2020",
        "ALTER TYPE mood ADD VALUE 'meh'",
        "ALTER DATABASE app SET work_mem = '64MB'",
        "CLUSTER t USING t_pkey",
        "CLUSTER VERBOSE t",
        "ANALYZE t",
        "DISCARD PLANS",
        "SAVEPOINT a",
        "RELEASE SAVEPOINT a",
        "ROLLBACK TO SAVEPOINT a",
        "ROLLBACK TRANSACTION TO a",
        "SELECT 'VACUUM'",
        "CREATE TABLE \"VACUUM\" (a int)",
        "INSERT INTO t VALUES ('CREATE DATABASE x')"
      })
  void ordinaryStatementsAreTransactional(String sql) {
    assertThat(of(sql)).isEqualTo(TransactionRequirement.TRANSACTIONAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BEGIN",
        "begin transaction isolation level serializable",
        "START TRANSACTION",
        "COMMIT",
        "COMMIT AND CHAIN",
        "END",
        "ROLLBACK",
        "ABORT",
        "PREPARE TRANSACTION 'x'",
        "COMMIT PREPARED 'x'",
        "ROLLBACK PREPARED 'x'"
      })
  void transactionControlIsItsOwnKind(String sql) {
    assertThat(of(sql)).isEqualTo(TransactionRequirement.TRANSACTION_CONTROL);
  }
}
