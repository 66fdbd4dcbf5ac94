package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runner's commands, in-process, against a real PostgreSQL. */
class RunnerCommandsTest {
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

  /** Everything a failed command must leave alone: user columns and the whole history. */
  private List<String> snapshot() throws Exception {
    List<String> out = new ArrayList<>();
    out.addAll(
        db.column(
            "SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type"
                + " FROM information_schema.columns"
                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                + " ORDER BY 1"));
    out.addAll(
        db.column(
            "SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public' ORDER BY 1"));
    if (db.tableExists("flyway_schema_history")) {
      out.addAll(
          db.column(
              "SELECT concat_ws('|', installed_rank, version, description, type, script,"
                  + " checksum, success) FROM flyway_schema_history ORDER BY installed_rank"));
    }
    return out;
  }

  private Run ok(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static String message(Run run) {
    return run.json().path("error").path("message").asText();
  }

  /** Four versions whose undo scripts log the order in which they run. */
  private Bundle loggingUndos() {
    return bundle
        .file("V1__log.sql", "CREATE TABLE undo_log (id SERIAL PRIMARY KEY, what TEXT);\n")
        .file("U1__log.sql", "DROP TABLE undo_log;\n")
        .file("V2__a.sql", "CREATE TABLE a (id INT);\n")
        .file("U2__a.sql", "DROP TABLE a;\nINSERT INTO undo_log (what) VALUES ('U2');\n")
        .file("V3__b.sql", "CREATE TABLE b (id INT);\n")
        .file("U3__b.sql", "DROP TABLE b;\nINSERT INTO undo_log (what) VALUES ('U3');\n")
        .file("V4__c.sql", "CREATE TABLE c (id INT);\n")
        .file("U4__c.sql", "DROP TABLE c;\nINSERT INTO undo_log (what) VALUES ('U4');\n");
  }

  // ---------------------------------------------------------------- validate and repair

  @Test
  void validateFailsForAnEditedAppliedFileNamingItAndTheFix() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    bundle.file("V2__add_full_name.sql", "ALTER TABLE users ADD COLUMN full_name VARCHAR(10);\n");

    Run run = runner.run("validate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.reason()).isEqualTo("ValidationFailed");
    assertThat(message(run)).contains("V2__add_full_name.sql").contains("repair");
    assertThat(message(run)).contains("new migration");
  }

  @Test
  void validateFailsForADeletedAppliedFile() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    bundle.delete("V2__add_full_name.sql");

    Run run = runner.run("validate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(message(run)).contains("V2__add_full_name.sql").contains("missing");
    assertThat(run.json().path("error").path("version").asText()).isEqualTo("2");
  }

  @Test
  void validateFailsForDuplicateVersions() throws Exception {
    bundle
        .file("V1__a.sql", "SELECT 1;")
        .file("V2__a.sql", "SELECT 2;")
        .file("V2__b.sql", "SELECT 3;");

    Run run = runner.run("validate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(message(run)).contains("V2__a.sql").contains("V2__b.sql");
  }

  @Test
  void migrateRefusesDuplicateVersionsBeforeChangingAnything() throws Exception {
    bundle
        .file("V1__a.sql", "CREATE TABLE a (id INT);")
        .file("V2__a.sql", "CREATE TABLE b (id INT);")
        .file("V2__b.sql", "CREATE TABLE c (id INT);");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(db.tableExists("a")).isFalse();
  }

  @Test
  void validateFailsForAFailedRowAndRepairClearsIt() throws Exception {
    bundle
        .threeVersions()
        .file("V4__dup.sql", "INSERT INTO users (email, full_name) VALUES ('x@y', 'Ada');\n")
        .file(
            "V5__idx.sql",
            "CREATE UNIQUE INDEX CONCURRENTLY users_name_idx ON users (full_name);\n");
    assertThat(runner.run("migrate").exitCode()).isEqualTo(1);

    Run validate = runner.run("validate");

    assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(4);
    assertThat(message(validate)).contains("V5__idx.sql").contains("repair");
    assertThat(validate.json().path("error").path("file").asText()).isEqualTo("V5__idx.sql");

    Run repair = ok(runner.run("repair"));
    assertThat(repair.json().path("changes").toString())
        .contains("removedFailed")
        .contains("V5__idx.sql");
    assertThat(db.tableExists("users_name_idx")).as("repair never touches user objects").isTrue();
    ok(runner.run("validate"));
  }

  @Test
  void repairRealignsTheChecksumToTheFileAndValidatePasses() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    String edited = "-- now commented\r\nALTER TABLE users ADD COLUMN full_name TEXT;\r\n";
    bundle.file("V2__add_full_name.sql", edited);
    assertThat(runner.run("validate").exitCode()).isEqualTo(4);

    Run repair = ok(runner.run("repair"));

    assertThat(repair.json().path("changes").toString()).contains("realigned");
    ok(runner.run("validate"));
    assertThat(db.value("SELECT checksum FROM flyway_schema_history WHERE version = '2'"))
        .isEqualTo(Integer.toString(FlywayChecksum.of(edited)));
    assertThat(ok(runner.run("migrate")).json().path("appliedCount").asInt()).isZero();
  }

  @Test
  void repairMarksADeletedFileDeletedAndValidatePasses() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    bundle.delete("V2__add_full_name.sql");

    ok(runner.run("repair"));

    ok(runner.run("validate"));
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history WHERE type = 'DELETE'"))
        .isEqualTo("1");
  }

  @Test
  void repairOnAConsistentDatabaseChangesNothing() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    List<String> before = snapshot();

    Run repair = ok(runner.run("repair"));

    assertThat(repair.json().path("changes").size()).isZero();
    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- undo

  @Test
  void undoToATargetRunsUndoScriptsNewestFirstAndDeletesTheirRows() throws Exception {
    loggingUndos();
    ok(runner.run("migrate"));

    Run run = ok(runner.run("undo", "--target", "1"));

    assertThat(db.column("SELECT what FROM undo_log ORDER BY id"))
        .containsExactly("U4", "U3", "U2");
    assertThat(db.appliedVersions()).containsExactly("1");
    assertThat(db.tableExists("a")).isFalse();
    assertThat(db.tableExists("c")).isFalse();
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("1");
    List<String> undone = new ArrayList<>();
    run.json().path("undone").forEach(u -> undone.add(u.path("version").asText()));
    assertThat(undone).containsExactly("4", "3", "2");
    assertThat(run.json().path("pending").toString()).isEqualTo("[\"2\",\"3\",\"4\"]");
    assertThat(run.stderr().indexOf("U4")).isLessThan(run.stderr().indexOf("U2"));

    // and forward again
    ok(runner.run("migrate"));
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4");
  }

  @Test
  void undoWithAMissingUndoScriptChangesNothing() throws Exception {
    loggingUndos();
    ok(runner.run("migrate"));
    bundle.delete("U3__b.sql");
    List<String> before = snapshot();

    Run run = runner.run("undo", "--target", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(8);
    assertThat(run.reason()).isEqualTo("UndoUnavailable");
    assertThat(message(run)).startsWith("no undo script for version 3;");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(db.value("SELECT count(*) FROM undo_log")).isEqualTo("0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "base", "BASE"})
  void undoToZeroOrBaseUndoesEverything(String target) throws Exception {
    loggingUndos();
    ok(runner.run("migrate"));

    Run run = ok(runner.run("undo", "--target", target));

    assertThat(db.appliedVersions()).isEmpty();
    assertThat(db.tableExists("undo_log")).isFalse();
    assertThat(db.tableExists("a")).isFalse();
    assertThat(run.json().path("currentRevision").isNull()).isTrue();
    assertThat(run.json().path("undone").size()).isEqualTo(4);
  }

  @Test
  void undoAtTheTargetDoesNothing() throws Exception {
    loggingUndos();
    ok(runner.run("migrate", "--target", "2"));
    List<String> before = snapshot();

    Run run = ok(runner.run("undo", "--target", "2"));

    assertThat(run.json().path("undone").size()).isZero();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void failingUndoScriptKeepsItsRowAndEarlierUndosStayDone() throws Exception {
    loggingUndos();
    bundle.file("U3__b.sql", "DROP TABLE b;\nDROP TABLE no_such_table;\n");
    ok(runner.run("migrate"));

    Run run = runner.run("undo", "--target", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.json().path("error").path("file").asText()).isEqualTo("U3__b.sql");
    assertThat(run.json().path("error").path("line").asInt()).isEqualTo(2);
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(db.tableExists("b")).as("U3 rolled back as a whole").isTrue();
    assertThat(db.tableExists("c")).isFalse();
  }

  @Test
  void nonTransactionalUndoScriptRunsAndItsRowIsDeleted() throws Exception {
    bundle
        .threeVersions()
        .file("V4__idx.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
        .file("U4__idx.sql", "DROP INDEX CONCURRENTLY users_email_idx;\n");
    ok(runner.run("migrate"));

    ok(runner.run("undo", "--target", "3"));

    assertThat(db.tableExists("users_email_idx")).isFalse();
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void undoOnADatabaseWithoutHistoryDoesNothing() throws Exception {
    bundle.threeVersions();

    Run run = ok(runner.run("undo", "--target", "0"));

    assertThat(run.json().path("undone").size()).isZero();
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
  }

  @Test
  void migrateBelowCurrentIsRefusedUnlessDowngradeIsAllowed() throws Exception {
    loggingUndos();
    ok(runner.run("migrate"));
    List<String> before = snapshot();

    Run refused = runner.run("migrate", "--target", "1");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(8);
    assertThat(refused.reason()).isEqualTo("DowngradeRefused");
    assertThat(message(refused)).contains("--allow-downgrade").contains("4, 3, 2");
    assertThat(snapshot()).isEqualTo(before);

    Run allowed = ok(runner.run("migrate", "--target", "1", "--allow-downgrade"));

    assertThat(allowed.json().path("currentRevision").asText()).isEqualTo("1");
    assertThat(db.appliedVersions()).containsExactly("1");
    assertThat(db.column("SELECT what FROM undo_log ORDER BY id"))
        .containsExactly("U4", "U3", "U2");
  }

  @Test
  void teamsUndoRowsRefuseUndo() throws Exception {
    loggingUndos();
    ok(runner.run("migrate"));
    db.execute(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success) VALUES (5, '4', 'c', 'UNDO_SQL',"
            + " 'U4__c.sql', 1, 'postgres', 1, true)");

    Run run = runner.run("undo", "--target", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(8);
    assertThat(run.reason()).isEqualTo("UndoUnavailable");
    assertThat(message(run)).contains("UNDO_SQL");
  }

  // ---------------------------------------------------------------- baseline

  @Test
  void baselineAdoptsAnExistingDatabaseAndMigrateAppliesOnlyLaterVersions() throws Exception {
    bundle
        .threeVersions()
        .file("V4__nickname.sql", "ALTER TABLE users ADD COLUMN nickname TEXT;\n");
    db.execute(
        "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL,"
            + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(), full_name TEXT);"
            + "INSERT INTO users (email, full_name) VALUES ('KEEP@x', 'keep')");

    Run baseline = ok(runner.run("baseline", "--version", "2"));
    assertThat(baseline.json().path("currentRevision").asText()).isEqualTo("2");
    Run migrate = ok(runner.run("migrate"));

    List<String> applied = new ArrayList<>();
    migrate.json().path("applied").forEach(a -> applied.add(a.path("version").asText()));
    assertThat(applied).containsExactly("3", "4");
    assertThat(db.column("SELECT email FROM users")).containsExactly("keep@x");
    assertThat(db.appliedVersions()).containsExactly("2", "3", "4");
  }

  @Test
  void baselineTwiceAtTheSameVersionIsFineAtAnotherItFails() throws Exception {
    bundle.threeVersions();
    ok(runner.run("baseline", "--version", "2"));
    List<String> before = snapshot();

    ok(runner.run("baseline", "--version", "2"));
    assertThat(snapshot()).isEqualTo(before);

    Run other = runner.run("baseline", "--version", "3");
    assertThat(other.exitCode()).as(other.toString()).isNotZero();
    assertThat(other.reason()).isEqualTo("ValidationFailed");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void baselineOnAMigratedDatabaseFails() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    List<String> before = snapshot();

    Run run = runner.run("baseline", "--version", "3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- new

  @Test
  void newWritesTheNextVersionAndItsUndo() throws Exception {
    bundle.threeVersions().file("V10__ten.sql", "SELECT 10;").file("V2.5__point.sql", "SELECT 1;");

    Run run = ok(runner.run("new", "Add user email"));

    assertThat(Files.exists(bundle.dir().resolve("V11__add_user_email.sql"))).isTrue();
    assertThat(Files.exists(bundle.dir().resolve("U11__add_user_email.sql"))).isTrue();
    assertThat(run.json().path("headRevision").asText()).isEqualTo("11");
    assertThat(MigrationBundle.read(bundle.dir()).head().script())
        .isEqualTo("V11__add_user_email.sql");
  }

  @Test
  void newOnAnEmptyFolderStartsAtOne() throws Exception {
    Path empty = dir.resolve("fresh");
    Runner fresh = new Runner(db.url(), db.user(), db.password(), empty.toString());

    ok(fresh.run("new", "Create", "users"));

    try (Stream<Path> files = Files.list(empty)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("U1__create_users.sql", "V1__create_users.sql");
    }
    // and the scaffold migrates and undoes as written
    Runner onDb = new Runner(db.url(), db.user(), db.password(), empty.toString());
    ok(onDb.run("migrate"));
    ok(onDb.run("undo", "--target", "0"));
  }

  @Test
  void newAfterADottedHeadTakesTheNextMajor() throws Exception {
    bundle.file("V1__a.sql", "SELECT 1;").file("V2.5__b.sql", "SELECT 1;");

    ok(runner.run("new", "next one"));

    assertThat(Files.exists(bundle.dir().resolve("V3__next_one.sql"))).isTrue();
  }

  // ---------------------------------------------------------------- placeholders

  @Test
  void placeholdersAreReplacedWhenGivenAndTheRawFileIsChecksummed() throws Exception {
    String sql =
        "CREATE TABLE ${table} (id INT);\nCOMMENT ON TABLE ${table} IS '${flyway:table}';\n";
    bundle.file("V1__t.sql", sql);

    ok(runner.run("migrate", "--placeholder", "table=things"));

    assertThat(db.tableExists("things")).isTrue();
    assertThat(db.value("SELECT obj_description('things'::regclass)"))
        .isEqualTo("flyway_schema_history");
    assertThat(db.value("SELECT checksum FROM flyway_schema_history WHERE version = '1'"))
        .isEqualTo(Integer.toString(FlywayChecksum.of(sql)));
  }

  @Test
  void withoutPlaceholdersDollarBracesRunAsWritten() throws Exception {
    bundle.file("V1__t.sql", "CREATE TABLE t AS SELECT '${x}'::text AS v;\n");

    ok(runner.run("migrate"));

    assertThat(db.value("SELECT v FROM t")).isEqualTo("${x}");
  }

  @Test
  void unknownPlaceholderFailsNamingFileAndLine() throws Exception {
    bundle.file(
        "V1__t.sql",
        "CREATE TABLE ${table} (id INT);\n\nINSERT INTO ${table} VALUES (${missing});\n");

    Run run = runner.run("migrate", "--placeholder", "table=things");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(message(run)).contains("V1__t.sql").contains("line 3").contains("missing");
    assertThat(db.tableExists("things")).isFalse();
  }

  // ---------------------------------------------------------------- schemagate.conf

  @Test
  void historyTableFromConfIsUsedAndStockFlywayValidatesIt() throws Exception {
    bundle.threeVersions().file("schemagate.conf", "# bundle settings\nhistoryTable=my_history\n");

    ok(runner.run("migrate"));

    assertThat(db.tableExists("my_history")).isTrue();
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
    assertThat(db.column("SELECT version FROM my_history ORDER BY installed_rank"))
        .containsExactly("1", "2", "3");

    Path view = dir.resolve("flyway-view");
    Files.createDirectories(view);
    try (Stream<Path> files = Files.list(bundle.dir())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("V")) {
          Files.copy(f, view.resolve(name));
        }
      }
    }
    Flyway flyway =
        Flyway.configure()
            .dataSource(db.url(), db.user(), db.password())
            .locations("filesystem:" + view)
            .table("my_history")
            .load();
    ValidateResult validate = flyway.validateWithResult();
    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
    assertThat(flyway.migrate().migrationsExecuted).isZero();
  }

  @Test
  void placeholdersFromConfAreUsedAndTheCommandLineWins() throws Exception {
    bundle
        .file("V1__t.sql", "CREATE TABLE ${table} (id INT);\nCREATE TABLE ${other} (id INT);\n")
        .file("schemagate.conf", "placeholders.table=from_conf\nplaceholders.other=other_conf\n");

    ok(runner.run("migrate", "--placeholder", "table=from_cli"));

    assertThat(db.tableExists("from_cli")).isTrue();
    assertThat(db.tableExists("other_conf")).isTrue();
    assertThat(db.tableExists("from_conf")).isFalse();
  }

  @Test
  void unknownKeyInConfIsAConfigurationError() throws Exception {
    bundle.threeVersions().file("schemagate.conf", "historyTabel=my_history\n");

    Run run = runner.run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(message(run)).contains("historyTabel");
    assertThat(db.tableExists("users")).isFalse();
  }

  @Test
  void outOfOrderFromConfAppliesALateLowerVersion() throws Exception {
    bundle
        .file("V1__a.sql", "CREATE TABLE a (id INT);")
        .file("V3__c.sql", "CREATE TABLE c (id INT);");
    ok(runner.run("migrate"));
    bundle.file("V2__b.sql", "CREATE TABLE b (id INT);");
    assertThat(runner.run("migrate").exitCode()).as("refused without outOfOrder").isEqualTo(4);

    bundle.file("schemagate.conf", "outOfOrder=true\n");
    ok(runner.run("migrate"));

    assertThat(db.appliedVersions()).containsExactly("1", "3", "2");
  }

  @Test
  void infoListsEveryStateWithCurrentAndHead() throws Exception {
    bundle
        .threeVersions()
        .file("R__emails.sql", "CREATE OR REPLACE VIEW emails AS SELECT email FROM users;\n");
    ok(runner.run("migrate", "--target", "2"));

    JsonNode info = ok(runner.run("info")).json();

    assertThat(info.path("currentRevision").asText()).isEqualTo("2");
    assertThat(info.path("headRevision").asText()).isEqualTo("3");
    List<String> states = new ArrayList<>();
    info.path("migrations")
        .forEach(m -> states.add(m.path("version").asText("R") + "=" + m.path("state").asText()));
    assertThat(states).containsExactly("1=applied", "2=applied", "3=pending", "R=applied");
  }

  @Test
  void aForeignTableNamedLikeTheHistoryIsAConfigurationErrorNamingIt() throws Exception {
    bundle.threeVersions();
    db.execute("CREATE TABLE flyway_schema_history (id INT, name TEXT)");

    for (String command : List.of("info", "migrate")) {
      Run run = runner.run(command);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.reason()).isEqualTo("ConfigurationInvalid");
      assertThat(message(run))
          .startsWith("\"public\".\"flyway_schema_history\" is not a Flyway history table")
          .contains("installed_rank")
          .contains("historyTable");
    }
    assertThat(db.tableExists("users")).isFalse();
    assertThat(db.column("SELECT count(*) FROM flyway_schema_history")).containsExactly("0");
  }

  @Test
  void lintCountsAreWrittenWithTheirPlurals() throws Exception {
    bundle.file("V1__events.sql", "CREATE TABLE events (at TIMESTAMP);\n");

    Run text = runner.raw("lint", "--location", bundle.location());
    Run json = runner.run("lint");

    assertThat(text.stdout().trim()).isEqualTo("1 error, 1 warning");
    assertThat(message(json)).startsWith("1 lint error and 1 warning; first: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "no/such/folder/result.json"})
  void unwritableResultFileFailsBeforeAnythingIsDone(String where) throws Exception {
    bundle.threeVersions();
    Path resultFile = dir.resolve(where);

    Run run = runner.run("migrate", "--result-file", resultFile.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(message(run))
        .startsWith("--result-file " + resultFile + " cannot be written")
        .endsWith("nothing was done");
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
  }

  @Test
  void resultFileThatCannotBeWrittenAtTheEndMakesTheExitCodeNonZero() throws Exception {
    // /dev/full opens for writing, then every write fails: the check before the work passes.
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "/dev/full");
    bundle.threeVersions();

    Run run = runner.run("migrate", "--result-file", full.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.json().path("status").asText()).isEqualTo("Succeeded");
    assertThat(run.stderr())
        .contains("error: cannot write the result to --result-file /dev/full")
        .contains("the migrate command itself succeeded");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void resultFileIsCompactJsonEvenOnFailure() throws Exception {
    bundle.threeVersions();
    ok(runner.run("migrate"));
    Path resultFile = dir.resolve("result.json");

    Run run = runner.run("undo", "--target", "zero", "--result-file", resultFile.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    String written = Files.readString(resultFile, StandardCharsets.UTF_8);
    assertThat(written).contains("\"status\":\"Failed\"").contains("ConfigurationInvalid");
  }
}
