package io.schemagate.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.RunnerProcess;
import io.schemagate.runner.testing.RunnerProcess.Exit;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The result file a pod leaves as its termination message stays under 2048 bytes. */
class ResultFileTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final int LIMIT = 2048;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void resultFileStaysUnder2048BytesWith200MigrationsApplied() throws Exception {
    TestDatabase db = PG.newDatabase();
    Bundle bundle = new Bundle(dir.resolve("sql"));
    for (int v = 1; v <= 200; v++) {
      bundle.file(
          String.format("V%d__create_a_table_with_a_long_description_%03d.sql", v, v),
          String.format("CREATE TABLE t%03d (id INT);%n", v));
    }
    Path resultFile = dir.resolve("result.json");

    Exit exit = migrate(db, bundle, resultFile);

    assertThat(exit.code()).as(exit.toString()).isZero();
    JsonNode result = readResult(resultFile);
    assertThat(result.path("status").asText()).isEqualTo("Succeeded");
    assertThat(result.has("error")).isTrue();
    assertThat(result.path("error").isNull()).isTrue();
    assertThat(result.path("currentRevision").asText()).isEqualTo("200");
    assertThat(result.path("appliedCount").asInt()).isEqualTo(200);
    int listed = result.path("applied").size();
    assertThat(listed).isLessThan(200);
    assertThat(result.path("omitted").path("applied").asInt()).isEqualTo(200 - listed);
    assertThat(exit.json().path("applied").size()).as("stdout keeps the full list").isEqualTo(200);
    assertThat(db.appliedVersions()).hasSize(200);
  }

  @Test
  @Timeout(60)
  void resultFileStaysUnder2048BytesWhenTheErrorMessageIsAllControlCharacters() throws Exception {
    // Each of these escapes to six bytes (\u0001) in JSON; a message capped by raw bytes is not.
    TestDatabase db = PG.newDatabase();
    Bundle bundle =
        new Bundle(dir.resolve("sql"))
            .file("V1__ok.sql", "CREATE TABLE t1 (id INT);\n")
            .file(
                "V2__binary_message.sql",
                "DO $$ BEGIN RAISE EXCEPTION '%', repeat(chr(1), 1000); END $$;\n");
    Path resultFile = dir.resolve("result.json");

    Exit exit = migrate(db, bundle, resultFile);

    assertThat(exit.code()).as(exit.toString()).isEqualTo(1);
    JsonNode result = readResult(resultFile);
    assertThat(result.path("status").asText()).isEqualTo("Failed");
    assertThat(result.path("error").path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(result.path("error").path("version").asText()).isEqualTo("2");
    assertThat(result.path("error").path("sqlState").asText()).isEqualTo("P0001");
  }

  private Exit migrate(TestDatabase db, Bundle bundle, Path resultFile) {
    try (RunnerProcess runner =
        RunnerProcess.against(db)
            .args("migrate", "--result-file", resultFile.toString())
            .bundle(bundle)
            .start(dir.resolve("out"))) {
      return runner.awaitExit(Duration.ofSeconds(90));
    }
  }

  /** Reads the result file as the operator does: at most 2048 bytes, one JSON object. */
  private static JsonNode readResult(Path resultFile) throws Exception {
    byte[] bytes = Files.readAllBytes(resultFile);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(bytes.length).as("result file size; content: %s", text).isLessThan(LIMIT);
    return RunnerProcess.parse(text, "result file");
  }
}
