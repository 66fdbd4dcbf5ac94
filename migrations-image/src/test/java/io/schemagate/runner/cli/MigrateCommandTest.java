package io.schemagate.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.engine.AdvisoryLock;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;
  Runner runner;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql"));
    runner = new Runner(db, bundle);
  }

  @Test
  void freshDatabaseReachesHeadWithDataPreserved() throws Exception {
    bundle.threeVersions();

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = run.json();
    assertThat(r.path("status").asText()).isEqualTo("Succeeded");
    assertThat(r.path("currentRevision").asText()).isEqualTo("3");
    assertThat(r.path("headRevision").asText()).isEqualTo("3");
    assertThat(r.path("appliedCount").asInt()).isEqualTo(3);
    assertThat(r.path("pendingCount").asInt()).isZero();
    assertThat(r.path("applied").get(0).path("description").asText()).isEqualTo("create users");
    assertThat(r.path("error").isNull()).isTrue();
    assertThat(db.column("SELECT email FROM users ORDER BY id"))
        .containsExactly("ada@example.com", "bob@example.com");
    assertThat(db.column("SELECT full_name FROM users ORDER BY id")).containsExactly("Ada", "bob");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void progressLinesGoToStderrAndTheResultToStdout() throws Exception {
    bundle.threeVersions();

    Run run = runner.run("migrate");

    assertThat(run.stderr())
        .contains("Applying 1/3: V1 create users")
        .contains("Applying 3/3: V3 lowercase emails");
    assertThat(run.stdout().trim()).startsWith("{").endsWith("}");
  }

  @Test
  void secondRunAtHeadChangesNothing() throws Exception {
    bundle.threeVersions();
    runner.run("migrate");

    Run again = runner.run("migrate");

    assertThat(again.exitCode()).isZero();
    assertThat(again.json().path("appliedCount").asInt()).isZero();
    assertThat(again.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history")).isEqualTo("3");
  }

  @Test
  void versionsAreOrderedNumericallyNotByName() throws Exception {
    for (int i = 1; i <= 11; i++) {
      String prev = i == 1 ? "" : ", prev BIGINT REFERENCES t" + (i - 1) + "(id)";
      bundle.file(
          "V" + i + "__t" + i + ".sql",
          "CREATE TABLE t" + i + " (id BIGINT PRIMARY KEY" + prev + ");");
    }

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(db.appliedVersions())
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
  }

  @Test
  void statementsThatReturnRowsRunInsideMigrations() throws Exception {
    // setval, pg_sleep, create_hypertable...: migrations call functions with SELECT, and a
    // result set must not be mistaken for a failure.
    bundle.file(
        "V1__seed.sql",
        "CREATE TABLE orders (id BIGSERIAL PRIMARY KEY);\n"
            + "SELECT setval('orders_id_seq', 1000);\n"
            + "SELECT 1 FROM orders;\n");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(db.value("SELECT last_value FROM orders_id_seq")).isEqualTo("1000");
  }

  @Test
  void undoScriptMixingTransactionModesIsRefusedBeforeAnyUndo() throws Exception {
    bundle
        .threeVersions()
        .file(
            "U2__add_full_name.sql",
            "ALTER TABLE users DROP COLUMN full_name;\n"
                + "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n");
    runner.run("migrate");

    Run run = runner.run("undo", "--target", "1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("error").path("message").asText())
        .contains("U2__add_full_name.sql")
        .contains("mixes");
    assertThat(db.appliedVersions()).as("U3 did not run either").containsExactly("1", "2", "3");
    assertThat(db.column("SELECT full_name FROM users ORDER BY id")).containsExactly("Ada", "bob");
  }

  @Test
  void targetStopsBelowHeadAndLeavesTheRestPending() throws Exception {
    bundle.threeVersions();

    Run run = runner.run("migrate", "--target", "2");

    assertThat(run.exitCode()).isZero();
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("2");
    assertThat(run.json().path("targetRevision").asText()).isEqualTo("2");
    assertThat(run.json().path("pending").toString()).isEqualTo("[\"3\"]");
  }

  @Test
  void failedStatementNamesFileLineAndSqlStateAndKeepsEarlierMigrations() throws Exception {
    bundle
        .threeVersions()
        .file(
            "V4__broken.sql",
            "CREATE TABLE audit (id BIGINT);\n"
                + "-- the next statement refers to a table that does not exist\n"
                + "INSERT INTO audit SELECT id\n"
                + "  FROM no_such_table;\n");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode error = run.json().path("error");
    assertThat(error.path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(error.path("version").asText()).isEqualTo("4");
    assertThat(error.path("file").asText()).isEqualTo("V4__broken.sql");
    assertThat(error.path("line").asInt()).isEqualTo(4);
    assertThat(error.path("sqlState").asText()).isEqualTo("42P01");
    assertThat(error.path("partial").asBoolean()).isFalse();
    assertThat(error.path("message").asText()).contains("no_such_table");
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(run.json().path("appliedCount").asInt()).isEqualTo(3);
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(db.tableExists("audit"))
        .as("the failed migration's own changes roll back")
        .isFalse();
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
        .isEqualTo("0");
  }

  @Test
  void lintErrorInAPendingFileStopsTheRunBeforeAnythingIsApplied() throws Exception {
    bundle.threeVersions().file("V4__events.sql", "CREATE TABLE events (at TIMESTAMP);\n");

    Run run = runner.run("migrate", "--lint");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
    assertThat(run.json().path("error").path("reason").asText()).isEqualTo("LintFailed");
    assertThat(run.json().path("error").path("file").asText()).isEqualTo("V4__events.sql");
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
    assertThat(db.tableExists("users")).isFalse();
  }

  @Test
  void lintWarnReportsFindingsAsWarningsAndApplies() throws Exception {
    bundle.threeVersions().file("V4__events.sql", "CREATE TABLE events (at TIMESTAMP);\n");

    Run run = runner.run("migrate", "--lint-warn");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4");
    assertThat(run.json().path("warnings").toString()).contains("V4__events.sql");
  }

  @Test
  void lintAndLintWarnTogetherAreAUsageError() throws Exception {
    bundle.threeVersions();
    Run run = runner.run("migrate", "--lint", "--lint-warn");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
  }

  @Test
  void unparsableScriptFailsWhenReachedAfterTheMigrationsBeforeIt() throws Exception {
    // Scripts are parsed ahead on another thread; a parse failure must still surface in order.
    bundle
        .threeVersions()
        .file(
            "V4__unterminated.sql",
            "CREATE TABLE audit (id BIGINT);\n"
                + "CREATE FUNCTION f() RETURNS int AS $body$\n"
                + "  SELECT 1;\n")
        .file("V5__after.sql", "CREATE TABLE after_broken (id BIGINT);\n");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    JsonNode error = run.json().path("error");
    assertThat(error.path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(error.path("file").asText()).isEqualTo("V4__unterminated.sql");
    assertThat(error.path("line").asInt()).isEqualTo(2);
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(db.tableExists("audit")).isFalse();
    assertThat(db.tableExists("after_broken")).isFalse();
    assertThat(run.stderr()).contains("Applying 4/5: V4 unterminated");
  }

  @Test
  void concurrentIndexMigrationDoesNotWaitOnTheRunnersOwnLock() throws Exception {
    // Flyway's transactional lock keeps a transaction open in the same database while the
    // migration runs, and CREATE INDEX CONCURRENTLY waits for every such transaction: a hang.
    // The runner's session lock holds none, so only other clients' transactions in this
    // database could delay the index; one in another database (here: the maintenance
    // database, where monitoring and poolers sit) must not.
    bundle
        .threeVersions()
        .file(
            "V4__index_emails.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
        .file("U4__index_emails.sql", "DROP INDEX CONCURRENTLY users_email_idx;\n");
    runner.run("migrate", "--target", "3");
    try (Connection other = PG.admin().connect();
        Statement st = other.createStatement()) {
      other.setAutoCommit(false);
      st.execute("SELECT count(*) FROM pg_class");

      Run run = runner.run("migrate");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      other.rollback();
    }
    assertThat(
            db.value(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass"))
        .isEqualTo("t");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4");
  }

  @Test
  void failedNonTransactionalMigrationIsPartialAndBlocksUntilRepair() throws Exception {
    bundle
        .threeVersions()
        .file(
            "V4__unique_names.sql", "INSERT INTO users (email, full_name) VALUES ('x@y', 'Ada');\n")
        .file(
            "V5__index_names.sql",
            "CREATE UNIQUE INDEX CONCURRENTLY users_name_idx ON users (full_name);\n");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("error").path("partial").asBoolean()).isTrue();
    assertThat(run.json().path("error").path("version").asText()).isEqualTo("5");
    assertThat(run.json().path("error").path("sqlState").asText()).isEqualTo("23505");
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
        .isEqualTo("1");

    Run again = runner.run("migrate");
    assertThat(again.exitCode()).isEqualTo(4);
    assertThat(again.reason()).isEqualTo("ValidationFailed");
    assertThat(again.json().path("error").path("message").asText()).contains("repair");
  }

  @Test
  void olderBundleAgainstNewerDatabaseReportsFutureAndChangesNothing() throws Exception {
    bundle.threeVersions();
    runner.run("migrate");
    bundle.delete("V3__lowercase_emails.sql").delete("U3__lowercase_emails.sql");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(run.json().path("headRevision").asText()).isEqualTo("2");
    assertThat(run.json().path("future").toString()).isEqualTo("[\"3\"]");
    assertThat(run.json().path("appliedCount").asInt()).isZero();
    assertThat(run.json().path("warnings").toString()).contains("3");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void lockTimeoutOnABusyTableIsReportedAsLockTimeout() throws Exception {
    bundle
        .threeVersions()
        .file("V4__add_column.sql", "ALTER TABLE users ADD COLUMN nickname TEXT;\n");
    runner.run("migrate", "--target", "3");
    try (Connection other = db.connect();
        Statement st = other.createStatement()) {
      other.setAutoCommit(false);
      st.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");

      Run run = runner.run("migrate", "--lock-timeout", "300ms");

      assertThat(run.exitCode()).isEqualTo(6);
      assertThat(run.reason()).isEqualTo("LockTimeout");
      assertThat(run.json().path("error").path("sqlState").asText()).isEqualTo("55P03");
      other.rollback();
    }
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void runnerWaitsForTheMigrationLockOnlyUpToTheLockWait() throws Exception {
    bundle.threeVersions();
    try (Connection other = db.holdingMigrationLock()) {
      Run run = runner.run("migrate", "--lock-wait", "1s");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(6);
      assertThat(run.reason()).isEqualTo("LockTimeout");
    }
    assertThat(db.tableExists("users")).isFalse();
  }

  @Test
  void databaseMigratedByTheRunnerPassesStockFlywayValidate() throws Exception {
    bundle
        .threeVersions()
        .file(
            "R__users_view.sql",
            "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;\n");
    assertThat(runner.run("migrate").exitCode()).isZero();

    // Stock Flyway must see the same files minus the U scripts the runner hides from it.
    Path flywayDir = dir.resolve("flyway-view");
    Files.createDirectories(flywayDir);
    List<String> copied = new ArrayList<>();
    try (var files = Files.list(bundle.dir())) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().startsWith("U")) {
          Files.copy(f, flywayDir.resolve(f.getFileName()));
          copied.add(f.getFileName().toString());
        }
      }
    }
    Flyway flyway =
        Flyway.configure()
            .dataSource(db.url(), db.user(), db.password())
            .locations("filesystem:" + flywayDir)
            .load();
    ValidateResult validate = flyway.validateWithResult();

    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
    assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("3");
    assertThat(flyway.migrate().migrationsExecuted).isZero();
    assertThat(copied).hasSize(4);
  }

  @Test
  void stockFlywayWaitsForTheLockTheRunnerTakes() throws Exception {
    bundle.file("V1__one.sql", "CREATE TABLE one (id INT);\n");
    long key = AdvisoryLock.keyFor("\"public\".\"flyway_schema_history\"");
    Flyway flyway =
        Flyway.configure()
            .dataSource(db.url(), db.user(), db.password())
            .locations("filesystem:" + bundle.dir())
            .load();
    try (Connection holder = db.connect();
        Statement st = holder.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + key + ")");
      Thread stock = new Thread(flyway::migrate);
      stock.start();
      stock.join(2000);

      assertThat(stock.isAlive()).as("stock Flyway blocks on the runner's lock key").isTrue();
      assertThat(db.tableExists("one")).isFalse();

      st.execute("SELECT pg_advisory_unlock(" + key + ")");
      stock.join(30_000);
    }
    assertThat(db.tableExists("one")).isTrue();
  }
}
