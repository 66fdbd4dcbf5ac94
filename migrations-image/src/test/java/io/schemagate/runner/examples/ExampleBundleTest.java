package io.schemagate.runner.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample bundle in {@code examples/bundle/sql} does what its files and docs/runner.md say, and
 * so does its roll-forward, {@code examples/roll-forward/sql} over it (the 1.1.0 image).
 */
class ExampleBundleTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  /** Surefire runs in the module folder; the bundle lives at the repository root. */
  static final Path BUNDLE =
      Path.of("..", "examples", "bundle", "sql").toAbsolutePath().normalize();

  static final List<String> VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7");

  TestDatabase db;
  Runner runner;

  @BeforeEach
  void setUp() throws Exception {
    assertThat(BUNDLE).as("the example bundle").isDirectory();
    db = PG.newDatabase();
    runner = new Runner(db, new Bundle(BUNDLE));
  }

  @Test
  void lintFindsNeitherErrorsNorWarnings() {
    Run lint = runner.run("lint");

    assertThat(lint.exitCode()).as(lint.toString()).isZero();
    assertThat(lint.json().path("errorCount").asInt()).isZero();
    assertThat(lint.json().path("warningCount").asInt()).isZero();
  }

  @Test
  void verifyOnItsOwnEmbeddedPostgresFindsTheUndoScriptsExact() {
    // No URL: verify starts its own throwaway server instead of using the test's.
    Runner withoutDatabase = new Runner("", "", null, BUNDLE.toString());

    Run verify = withoutDatabase.run("verify");

    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.json().path("appliedCount").asInt()).isEqualTo(VERSIONS.size());
    assertThat(verify.json().path("differences")).isEmpty();
  }

  @Test
  void migrateOnAFreshDatabaseReachesHeadAndInfoListsEveryVersionAsApplied() throws Exception {
    Run migrate = runner.run("migrate");

    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(migrate.json().path("currentRevision").asText()).isEqualTo("7");
    assertThat(migrate.json().path("headRevision").asText()).isEqualTo("7");
    assertThat(db.appliedVersions()).isEqualTo(VERSIONS);

    Run info = runner.run("info");

    assertThat(info.exitCode()).as(info.toString()).isZero();
    List<String> versions = new ArrayList<>();
    for (JsonNode m : info.json().path("migrations")) {
      assertThat(m.path("state").asText()).as(m.toString()).isEqualTo("applied");
      versions.add(m.path("version").asText());
    }
    assertThat(versions).isEqualTo(VERSIONS);
    assertThat(info.json().path("pendingCount").asInt()).isZero();
  }

  @Test
  void dataMigrationsSplitNamesAndNormaliseEmailsOfExistingRows() throws Exception {
    migrateToVersionThreeWithCustomers();

    Run migrate = runner.run("migrate");

    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(db.column("SELECT email FROM accounts ORDER BY id"))
        .containsExactly("ada@example.com", "grace@example.com", "cher@example.com");
    assertThat(db.column("SELECT given_name FROM accounts ORDER BY id"))
        .containsExactly("Ada", "Grace", "Cher");
    assertThat(db.column("SELECT family_name FROM accounts ORDER BY id"))
        .containsExactly("King Lovelace", "Hopper", null);
    assertThat(db.value("SELECT count(*) FROM accounts WHERE updated_at > '2020-01-01'"))
        .as("the trigger marks every backfilled row as changed")
        .isEqualTo("3");
    assertThat(
            db.value(
                "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = 'accounts' AND column_name = 'full_name'"))
        .isEqualTo("0");
  }

  @Test
  void undoingTheColumnDropRebuildsFullNameFromItsParts() throws Exception {
    migrateToVersionThreeWithCustomers();
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run undo = runner.run("undo", "--target", "6");

    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    assertThat(db.column("SELECT full_name FROM accounts ORDER BY id"))
        .containsExactly("Ada King Lovelace", "Grace Hopper", "Cher");
  }

  @Test
  void undoToBaseThenMigrateAgainReachesHead() throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run undo = runner.run("undo", "--target", "0");

    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    assertThat(undo.json().path("currentRevision").isNull()).isTrue();
    assertThat(undo.json().path("undone")).hasSize(VERSIONS.size());
    assertThat(db.tableExists("accounts")).isFalse();
    assertThat(db.tableExists("api_keys")).isFalse();
    assertThat(db.value("SELECT to_regproc('set_updated_at')")).isNull();

    Run again = runner.run("migrate");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.json().path("currentRevision").asText()).isEqualTo("7");
    assertThat(db.appliedVersions()).isEqualTo(VERSIONS);
  }

  /** The worked example of docs/runner.md, "Recovering from a failed migration". */
  @Test
  void duplicateEmailsFailTheConcurrentIndexAndRepairLetsMigrateFinish() throws Exception {
    assertThat(runner.run("migrate", "--target", "4").exitCode()).isZero();
    db.execute(
        "INSERT INTO accounts (email, full_name) VALUES ('ada@example.com', 'Ada Lovelace'),"
            + " ('Ada@Example.com ', 'Ada King Lovelace'), ('grace@example.com', 'Grace Hopper')");

    Run failed = runner.run("migrate");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
    JsonNode error = failed.json().path("error");
    assertThat(error.path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(error.path("version").asText()).isEqualTo("6");
    assertThat(error.path("sqlState").asText()).isEqualTo("23505");
    assertThat(error.path("partial").asBoolean()).isTrue();
    assertThat(failed.json().path("currentRevision").asText()).isEqualTo("5");
    assertThat(
            db.value(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_key'::regclass"))
        .isEqualTo("f");
    assertThat(runner.run("validate").exitCode()).isEqualTo(4);
    assertThat(runner.run("migrate").reason()).isEqualTo("ValidationFailed");

    db.execute("DROP INDEX CONCURRENTLY accounts_email_key");
    db.execute(
        "DELETE FROM accounts WHERE email = 'ada@example.com' AND full_name = 'Ada King Lovelace'");
    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(repair.json().path("changes").get(0).path("change").asText())
        .isEqualTo("removedFailed");
    Run recovered = runner.run("migrate");
    assertThat(recovered.exitCode()).as(recovered.toString()).isZero();
    assertThat(recovered.json().path("currentRevision").asText()).isEqualTo("7");
    assertThat(
            db.value(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_key'::regclass"))
        .isEqualTo("t");
  }

  @Test
  void stockFlywayValidatesADatabaseTheRunnerMigrated(@TempDir Path dir) throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();
    // Flyway's free edition does not know undo scripts: it sees the V files only.
    Path versionedOnly = Files.createDirectories(dir.resolve("versioned"));
    try (Stream<Path> files = Files.list(BUNDLE)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("V")).toList()) {
        Files.copy(f, versionedOnly.resolve(f.getFileName()));
      }
    }
    Flyway flyway =
        Flyway.configure()
            .dataSource(db.url(), db.user(), db.password())
            .locations("filesystem:" + versionedOnly)
            .load();

    ValidateResult validate = flyway.validateWithResult();

    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
    assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("7");
  }

  @Test
  void theRollForwardLintsCleanAndItsUndoScriptIsExact(@TempDir Path dir) {
    Bundle rollForward = Bundle.rollForwardIn(dir.resolve("sql"));
    Runner v2 = new Runner(db, rollForward);

    Run lint = v2.run("lint");
    assertThat(lint.exitCode()).as(lint.toString()).isZero();
    assertThat(lint.json().path("errorCount").asInt()).isZero();
    assertThat(lint.json().path("warningCount").asInt()).isZero();

    Run verify = new Runner("", "", null, rollForward.location()).run("verify");
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.json().path("appliedCount").asInt()).isEqualTo(VERSIONS.size() + 1);
    assertThat(verify.json().path("differences")).isEmpty();
  }

  /**
   * What the operator does on the roll-forward: a database the 1.0.0 bundle migrated, with
   * customers, is migrated by the 1.1.0 bundle; only V8 runs, every existing account gets the
   * default locale, and the check refuses what is no language tag. Undone to 7, the column is gone
   * and 1.1.0 can apply it again.
   */
  @Test
  void theRollForwardAppliesOnlyV8OnADatabaseAt7AndUndoesCleanly(@TempDir Path dir)
      throws Exception {
    migrateToVersionThreeWithCustomers();
    assertThat(runner.run("migrate").exitCode()).isZero();
    Runner v2 = new Runner(db, Bundle.rollForwardIn(dir.resolve("sql")));

    Run migrate = v2.run("migrate");

    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(migrate.json().path("appliedCount").asInt()).isEqualTo(1);
    assertThat(migrate.json().path("applied").get(0).path("version").asText()).isEqualTo("8");
    assertThat(migrate.json().path("currentRevision").asText()).isEqualTo("8");
    assertThat(db.column("SELECT locale FROM accounts ORDER BY id"))
        .containsExactly("en", "en", "en");
    db.execute("UPDATE accounts SET locale = 'pt-BR' WHERE given_name = 'Ada'");
    assertThat(db.value("SELECT locale FROM accounts WHERE given_name = 'Ada'")).isEqualTo("pt-BR");
    assertThatThrownBy(() -> db.execute("UPDATE accounts SET locale = 'en_US'"))
        .hasMessageContaining("accounts_locale_check");

    Run undo = v2.run("undo", "--target", "7");

    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    assertThat(
            db.value(
                "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = 'accounts' AND column_name = 'locale'"))
        .isEqualTo("0");
    assertThat(db.appliedVersions()).isEqualTo(VERSIONS);
    assertThat(v2.run("migrate").exitCode()).isZero();
    assertThat(db.column("SELECT locale FROM accounts ORDER BY id"))
        .containsExactly("en", "en", "en");
  }

  /**
   * Brings the database to V3 (before the data migrations) and adds customers as an application on
   * V3 would have written them, with an old updated_at so the trigger's work shows.
   */
  private void migrateToVersionThreeWithCustomers() throws Exception {
    Run migrate = runner.run("migrate", "--target", "3");
    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    db.execute(
        "INSERT INTO accounts (email, full_name, created_at, updated_at) VALUES"
            + " (' Ada@Example.com', 'Ada King Lovelace', '2020-01-01', '2020-01-01'),"
            + " ('grace@example.com', 'Grace  Hopper', '2020-01-01', '2020-01-01'),"
            + " ('CHER@example.com', 'Cher', '2020-01-01', '2020-01-01')");
  }
}
