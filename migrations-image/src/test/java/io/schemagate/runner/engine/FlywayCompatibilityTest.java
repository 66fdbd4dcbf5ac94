package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock Flyway 13.12.1 as the oracle: for the same files, the runner must write the history rows
 * and the history table Flyway writes, accept databases Flyway migrated, and leave databases Flyway
 * accepts.
 */
class FlywayCompatibilityTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  Bundle bundle;

  @BeforeEach
  void setUp() {
    bundle = new Bundle(dir.resolve("sql"));
  }

  // ---------------------------------------------------------------- helpers

  /** The bundle as stock Flyway sees it: the same files, minus the U scripts the runner hides. */
  private Path flywayView() throws IOException {
    Path view = dir.resolve("flyway-view-" + System.nanoTime());
    try (Stream<Path> files = Files.walk(bundle.dir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.getFileName().toString().startsWith("U")) {
          continue;
        }
        Path target = view.resolve(bundle.dir().relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    return view;
  }

  private FluentConfiguration flyway(TestDatabase db) throws IOException {
    return Flyway.configure()
        .dataSource(db.url(), db.user(), db.password())
        .locations("filesystem:" + flywayView());
  }

  /** History rows without times: everything Flyway compares, in installed order. */
  private static List<Map<String, Object>> history(TestDatabase db, String table) throws Exception {
    return query(
        db,
        "SELECT installed_rank, version, description, type, script, checksum, installed_by,"
            + " success FROM "
            + table
            + " ORDER BY installed_rank");
  }

  private static List<Map<String, Object>> history(TestDatabase db) throws Exception {
    return history(db, "flyway_schema_history");
  }

  private static List<Map<String, Object>> query(TestDatabase db, String sql) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The history table's shape from the catalog: columns, defaults, constraints, indexes. */
  private static List<Map<String, Object>> ddl(TestDatabase db, String schema, String table)
      throws Exception {
    String rel = "'\"" + schema + "\".\"" + table + "\"'::regclass";
    List<Map<String, Object>> out = new ArrayList<>();
    out.addAll(
        query(
            db,
            "SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type,"
                + " a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attcollation"
                + " FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = "
                + rel
                + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"));
    out.addAll(
        query(
            db,
            "SELECT conname, contype, pg_get_constraintdef(oid) AS def"
                + " FROM pg_catalog.pg_constraint WHERE conrelid = "
                + rel
                + " ORDER BY conname"));
    out.addAll(
        query(
            db,
            "SELECT c.relname AS index, pg_get_indexdef(i.indexrelid) AS def, i.indisprimary,"
                + " i.indisunique FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
                + " ON c.oid = i.indexrelid WHERE i.indrelid = "
                + rel
                + " ORDER BY c.relname"));
    out.addAll(
        query(
            db,
            "SELECT c.relkind, c.relpersistence, c.reloptions, obj_description(c.oid) AS comment,"
                + " pg_get_userbyid(c.relowner) AS owner FROM pg_catalog.pg_class c"
                + " WHERE c.oid = "
                + rel));
    return out;
  }

  /** A bundle exercising Flyway's naming: separators, dots, leading zeros, nesting, R files. */
  private Bundle namingBundle() {
    return bundle
        .file("V1__a.sql", "CREATE TABLE a (id INT);\n")
        .file("U1__a.sql", "DROP TABLE a;\n")
        .file("V1_1__two_words.sql", "CREATE TABLE b (id INT);\r\n")
        .file("V2.5__dots.sql", "CREATE TABLE c (id INT);")
        .file("V010__leading_zero.sql", "CREATE TABLE d (id INT);\n")
        .file("V11__many_under_scores_in_it.sql", "CREATE TABLE e (id INT);\n")
        .file("V12__double__separator.sql", "CREATE TABLE f (id INT);\n")
        .file("V13___leading_underscore.sql", "CREATE TABLE g (id INT);\n")
        .file("nested/deeper/V14__nested.sql", "CREATE TABLE h (id INT);\n")
        .file("V15__Mixed Case and spaces.sql", "\uFEFFCREATE TABLE i (id INT);\n")
        .file("V20__empty.sql", "")
        .file("README.md", "not a migration")
        .file("notes.sql", "SELECT 'not a migration either';\n")
        .file("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM a;\n")
        .file("R__b_view.sql", "CREATE OR REPLACE VIEW bv AS SELECT id FROM b;\n");
  }

  // ---------------------------------------------------------------- names and rows

  @Test
  void historyRowsEqualStockFlywaysForTheSameFiles() throws Exception {
    namingBundle();
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();

    flyway(stock).load().migrate();
    Run run = new Runner(ours, bundle).run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
  }

  @Test
  void parsedNamesEqualWhatStockFlywayStores() throws Exception {
    namingBundle();
    TestDatabase stock = PG.newDatabase();
    flyway(stock).load().migrate();

    for (Map<String, Object> row : history(stock)) {
      String script = (String) row.get("script");
      String fileName = script.substring(script.lastIndexOf('/') + 1);
      MigrationFileName parsed = MigrationFileName.parse(fileName).orElseThrow();
      assertThat(parsed.versionText()).as(fileName).isEqualTo(row.get("version"));
      assertThat(parsed.description()).as(fileName).isEqualTo(row.get("description"));
    }
    assertThat(history(stock)).hasSize(12);
  }

  @Test
  void historyTableDdlEqualsStockFlyways() throws Exception {
    bundle.file("V1__a.sql", "CREATE TABLE a (id INT);\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();

    flyway(stock).load().migrate();
    assertThat(new Runner(ours, bundle).run("migrate").exitCode()).isZero();

    assertThat(ddl(ours, "public", "flyway_schema_history"))
        .isEqualTo(ddl(stock, "public", "flyway_schema_history"));
  }

  @Test
  void baselineRowEqualsStockFlyways() throws Exception {
    bundle.threeVersions();
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    for (TestDatabase db : List.of(stock, ours)) {
      db.execute(
          "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL,"
              + " full_name TEXT)");
    }

    flyway(stock).baselineVersion("2").load().baseline();
    Run run = new Runner(ours, bundle).run("baseline", "--version", "2");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
    assertThat(ddl(ours, "public", "flyway_schema_history"))
        .isEqualTo(ddl(stock, "public", "flyway_schema_history"));

    flyway(stock).baselineVersion("2").load().migrate();
    Run migrate = new Runner(ours, bundle).run("migrate");

    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
    assertThat(ours.appliedVersions()).containsExactly("2", "3");
  }

  @Test
  void schemaCreationMarkerEqualsStockFlyways() throws Exception {
    bundle.file("V1__a.sql", "CREATE TABLE a (id INT);\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();

    flyway(stock).schemas("app").load().migrate();
    Run run = new Runner(ours, bundle).run("migrate", "--schemas", "app");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours, "app.flyway_schema_history"))
        .isEqualTo(history(stock, "app.flyway_schema_history"));
    assertThat(history(ours, "app.flyway_schema_history").get(0))
        .containsEntry("type", "SCHEMA")
        .containsEntry("installed_rank", 0);
    assertThat(ddl(ours, "app", "flyway_schema_history"))
        .isEqualTo(ddl(stock, "app", "flyway_schema_history"));
    assertThat(ours.tableExists("app.a")).isTrue();
    assertThat(stock.tableExists("app.a")).isTrue();
  }

  @Test
  void schemaCreationMarkerForSeveralSchemasEqualsStockFlyways() throws Exception {
    bundle.file("V1__a.sql", "CREATE TABLE a (id INT);\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    for (TestDatabase db : List.of(stock, ours)) {
      db.execute("CREATE SCHEMA existing");
    }

    flyway(stock).schemas("app", "existing", "extra").load().migrate();
    Run run = new Runner(ours, bundle).run("migrate", "--schemas", "app,existing,extra");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours, "app.flyway_schema_history"))
        .isEqualTo(history(stock, "app.flyway_schema_history"));
    assertThat(
            ours.column(
                "SELECT nspname FROM pg_namespace WHERE nspname IN"
                    + " ('app','existing','extra') ORDER BY 1"))
        .containsExactly("app", "existing", "extra");
  }

  @Test
  void existingManagedSchemaGetsNoMarkerLikeStockFlyway() throws Exception {
    bundle.file("V1__a.sql", "CREATE TABLE a (id INT);\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    for (TestDatabase db : List.of(stock, ours)) {
      db.execute("CREATE SCHEMA app");
    }

    flyway(stock).schemas("app").load().migrate();
    Run run = new Runner(ours, bundle).run("migrate", "--schemas", "app");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours, "app.flyway_schema_history"))
        .isEqualTo(history(stock, "app.flyway_schema_history"));
  }

  @Test
  void fileWithoutADescriptionIsTreatedAsStockFlywayTreatsIt() throws Exception {
    bundle
        .file("V1__a.sql", "CREATE TABLE a (id INT);\n")
        .file("V2.sql", "CREATE TABLE b (id INT);\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();

    flyway(stock).load().migrate();
    Run run = new Runner(ours, bundle).run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void databaseMigratedByStockFlywayIsAcceptedByTheRunner() throws Exception {
    namingBundle();
    TestDatabase db = PG.newDatabase();
    flyway(db).load().migrate();
    Runner runner = new Runner(db, bundle);

    Run info = runner.run("info");
    Run validate = runner.run("validate");
    Run migrate = runner.run("migrate");

    assertThat(info.exitCode()).as(info.toString()).isZero();
    List<String> states = new ArrayList<>();
    info.json().path("migrations").forEach(m -> states.add(m.path("state").asText()));
    assertThat(states).hasSize(12).containsOnly("applied");
    assertThat(info.json().path("pendingCount").asInt()).isZero();
    assertThat(info.json().path("currentRevision").asText()).isEqualTo("20");
    assertThat(validate.exitCode()).as(validate.toString()).isZero();
    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    assertThat(migrate.json().path("appliedCount").asInt()).isZero();
    assertThat(history(db)).hasSize(12);
  }

  @Test
  void databaseMigratedByTheRunnerIsAcceptedByStockFlyway() throws Exception {
    namingBundle();
    TestDatabase db = PG.newDatabase();
    assertThat(new Runner(db, bundle).run("migrate").exitCode()).isZero();
    Flyway flyway = flyway(db).load();

    ValidateResult validate = flyway.validateWithResult();

    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
    assertThat(flyway.info().pending()).isEmpty();
    assertThat(flyway.migrate().migrationsExecuted).isZero();
  }

  @Test
  void runnerContinuesWhereStockFlywayStoppedAndFlywayAcceptsTheResult() throws Exception {
    bundle.threeVersions();
    TestDatabase db = PG.newDatabase();
    flyway(db).target("2").load().migrate();

    Run run = new Runner(db, bundle).run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().path("appliedCount").asInt()).isEqualTo(1);
    assertThat(flyway(db).load().validateWithResult().validationSuccessful).isTrue();
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void runnerUndoLeavesAHistoryStockFlywayAccepts() throws Exception {
    bundle.threeVersions();
    TestDatabase db = PG.newDatabase();
    Runner runner = new Runner(db, bundle);
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run undo = runner.run("undo", "--target", "1");

    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    Flyway flyway = flyway(db).ignoreMigrationPatterns("*:pending").load();
    assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("1");
    assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
    assertThat(db.column("SELECT full_name FROM users ORDER BY id")).containsExactly("ada", "bob");
  }

  @Test
  void repairAfterFailedNonTransactionalMigrationPassesStockFlywayValidate() throws Exception {
    bundle
        .threeVersions()
        .file("V4__dup.sql", "INSERT INTO users (email, full_name) VALUES ('x@y', 'Ada');\n")
        .file(
            "V5__index_names.sql",
            "CREATE UNIQUE INDEX CONCURRENTLY users_name_idx ON users (full_name);\n");
    TestDatabase db = PG.newDatabase();
    Runner runner = new Runner(db, bundle);
    Run failed = runner.run("migrate");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
    assertThat(flyway(db).load().validateWithResult().validationSuccessful)
        .as("stock Flyway also refuses a failed row")
        .isFalse();

    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(
            flyway(db)
                .ignoreMigrationPatterns("*:pending")
                .load()
                .validateWithResult()
                .validationSuccessful)
        .isTrue();
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
        .isEqualTo("0");

    // The user cleans up and fixes the data; then both agree on a complete history.
    db.execute("DROP INDEX users_name_idx; DELETE FROM users WHERE email = 'x@y'");
    Run migrate = runner.run("migrate");
    assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    ValidateResult validate = flyway(db).load().validateWithResult();
    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
  }

  @Test
  void repairedChecksumOfAnEditedFileIsTheOneStockFlywayComputes() throws Exception {
    bundle.threeVersions();
    TestDatabase db = PG.newDatabase();
    Runner runner = new Runner(db, bundle);
    assertThat(runner.run("migrate").exitCode()).isZero();
    bundle.file(
        "V2__add_full_name.sql",
        "-- reworded comment\r\nALTER TABLE users ADD COLUMN full_name TEXT;\r\n"
            + "UPDATE users SET full_name = split_part(email, '@', 1);\r\n");
    assertThat(flyway(db).load().validateWithResult().validationSuccessful).isFalse();

    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    ValidateResult validate = flyway(db).load().validateWithResult();
    assertThat(validate.validationSuccessful)
        .as(String.valueOf(validate.invalidMigrations))
        .isTrue();
  }

  @Test
  void stockFlywayRepairAndRunnerRepairAgree() throws Exception {
    bundle.threeVersions();
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    flyway(stock).load().migrate();
    flyway(ours).load().migrate();
    bundle.file("V1__create_users.sql", "-- edited\n" + "CREATE TABLE users (id BIGSERIAL);\n");
    bundle.file("V3__lowercase_emails.sql", "UPDATE users SET email = lower(email); -- x\n");

    flyway(stock).load().repair();
    Run repair = new Runner(ours, bundle).run("repair");

    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
  }

  @Test
  void stockFlywayRepairAndRunnerRepairAgreeOnADeletedFile() throws Exception {
    bundle.threeVersions();
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    flyway(stock).load().migrate();
    flyway(ours).load().migrate();
    bundle.delete("V2__add_full_name.sql");

    flyway(stock).load().repair();
    Run repair = new Runner(ours, bundle).run("repair");

    assertThat(repair.exitCode()).as(repair.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock));
    assertThat(flyway(ours).load().validateWithResult().validationSuccessful).isTrue();
  }

  @Test
  void changedRepeatableIsReappliedWithTheRowsStockFlywayWrites() throws Exception {
    bundle
        .threeVersions()
        .file("R__emails.sql", "CREATE OR REPLACE VIEW emails AS SELECT email FROM users;\n");
    TestDatabase stock = PG.newDatabase();
    TestDatabase ours = PG.newDatabase();
    flyway(stock).load().migrate();
    assertThat(new Runner(ours, bundle).run("migrate").exitCode()).isZero();
    bundle.file("R__emails.sql", "CREATE OR REPLACE VIEW emails AS SELECT email, id FROM users;\n");

    flyway(stock).load().migrate();
    Run run = new Runner(ours, bundle).run("migrate");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(history(ours)).isEqualTo(history(stock)).hasSize(5);
  }

  @Test
  void checksumsStoredByStockFlywayEqualTheRunnersForTrickyFiles() throws Exception {
    bundle
        .file("V1__crlf.sql", "SELECT 1;\r\nSELECT 2;\r\n")
        .file("V2__cr.sql", "SELECT 1;\rSELECT 2;\r")
        .file("V3__mixed.sql", "SELECT 1;\nSELECT 2;\r\nSELECT 3;\r")
        .file("V4__bom.sql", "\uFEFFSELECT 1;\n")
        .file("V5__utf8.sql", "SELECT 'Grüße 日本語 \uD83D\uDE00';\n")
        .file("V6__no_newline.sql", "SELECT 1;")
        .file("V7__long.sql", "SELECT '" + "x".repeat(20_000) + "';\n")
        .file("V8__blank.sql", "\n\n\n");
    TestDatabase stock = PG.newDatabase();
    flyway(stock).load().migrate();

    MigrationBundle ours = MigrationBundle.read(bundle.dir());

    for (Map<String, Object> row : history(stock)) {
      MigrationScript script =
          ours.versioned().stream()
              .filter(s -> s.versionText().equals(row.get("version")))
              .findFirst()
              .orElseThrow();
      assertThat(script.checksum()).as(script.script()).isEqualTo(row.get("checksum"));
    }
    assertThat(history(stock)).hasSize(8);
  }
}
