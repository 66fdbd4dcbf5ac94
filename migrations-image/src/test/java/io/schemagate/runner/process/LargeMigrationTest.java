package io.schemagate.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.RunnerProcess;
import io.schemagate.runner.testing.RunnerProcess.Exit;
import io.schemagate.runner.testing.TestDatabase;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner with a small heap: a migration file far larger than the heap still applies, since files
 * are streamed statement by statement (lint, checksum and run alike), and when memory does run out
 * the result still says what the history table holds.
 */
class LargeMigrationTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final int ROWS_PER_STATEMENT = 100;

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql"));
  }

  @Test
  @Timeout(240)
  void fiftyMegabyteDataMigrationAppliesWithLintUnder256MegabytesOfHeap() throws Exception {
    bundle.file(
        "V1__create_events.sql",
        "CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT, payload TEXT);\n");
    long rows = writeDataMigration(bundle.dir().resolve("V2__load_events.sql"), 50L << 20);

    Exit exit =
        run(
            RunnerProcess.against(db)
                .jvm("-Xmx256m")
                .args("migrate", "--lint", "--placeholder", "table=events")
                .bundle(bundle),
            Duration.ofMinutes(3));

    assertThat(exit.code()).as(exit.toString()).isZero();
    JsonNode result = exit.json();
    assertThat(result.path("currentRevision").asText()).isEqualTo("2");
    assertThat(versions(result.path("applied"))).containsExactly("1", "2");
    assertThat(result.path("pending").size()).isZero();
    assertThat(db.appliedVersions()).containsExactly("1", "2");
    assertThat(db.value("SELECT count(*) FROM events")).isEqualTo(Long.toString(rows));
  }

  @Test
  @Timeout(120)
  void outOfMemoryInAMigrationRollsItBackAndTheResultSaysWhereTheDatabaseIs() throws Exception {
    // The statement is small; the 100 MB notice it makes the server send is what does not fit.
    bundle
        .file("V1__one.sql", "CREATE TABLE one (id INT);\n")
        .file(
            "V2__huge_notice.sql",
            "CREATE TABLE two (id INT);\nDO $$ BEGIN RAISE NOTICE '%', repeat('x', 100000000); END $$;\n")
        .file("V3__three.sql", "CREATE TABLE three (id INT);\n");

    Exit exit =
        run(
            RunnerProcess.against(db).jvm("-Xmx48m").args("migrate").bundle(bundle),
            Duration.ofMinutes(1));

    assertThat(exit.code()).as(exit.toString()).isEqualTo(70);
    assertThat(exit.reason()).isEqualTo("InternalError");
    assertThat(exit.json().path("error").path("message").asText()).contains("OutOfMemoryError");
    assertThat(exit.json().path("currentRevision").asText()).isEqualTo("1");
    assertThat(versions(exit.json().path("applied"))).containsExactly("1");
    assertThat(versions(exit.json().path("pending"))).containsExactly("2", "3");
    assertThat(db.appliedVersions()).containsExactly("1");
    assertThat(db.tableExists("two")).as("V2 rolled back as a whole").isFalse();
  }

  /**
   * Writes a data migration of about {@code bytes}: multi-row INSERTs into {@code ${table}} (a
   * placeholder, so replacing it streams too), one statement per {@link #ROWS_PER_STATEMENT} rows.
   *
   * @return the number of rows it inserts
   */
  private static long writeDataMigration(Path file, long bytes) throws Exception {
    long rows = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("-- generated: about 50 MB of rows\n");
      long written = 0;
      StringBuilder statement = new StringBuilder();
      while (written < bytes) {
        statement.setLength(0);
        statement.append("INSERT INTO ${table} (id, kind, payload) VALUES\n");
        for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
          rows++;
          statement
              .append(i == 0 ? "  (" : ", (")
              .append(rows)
              .append(", 'signup; or ''other''', '")
              .append("payload ".repeat(20))
              .append(rows % 7)
              .append("')\n");
        }
        statement.append(";\n");
        out.append(statement);
        written += statement.length();
      }
    }
    return rows;
  }

  private Exit run(RunnerProcess.Builder builder, Duration bound) {
    try (RunnerProcess runner = builder.start(dir.resolve("out"))) {
      return runner.awaitExit(bound);
    }
  }

  private static List<String> versions(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("version").asText()));
    return out;
  }
}
