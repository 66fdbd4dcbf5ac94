package io.schemagate.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.RunnerProcess;
import io.schemagate.runner.testing.RunnerProcess.Exit;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a migrate run prints while it works, as a Job's log ({@code kubectl logs job/...}, the
 * container's stdout and stderr) shows it: the runner as a child process, run as the operator's Job
 * runs it.
 */
class ProgressLogTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql"));
    bundle.file("V1__create_a.sql", "CREATE TABLE a (id INT);\n");
    bundle.file("V2__slow.sql", "CREATE TABLE b (id INT);\nSELECT pg_sleep(3);\n");
    bundle.file("V3__create_c.sql", "CREATE TABLE c (id INT);\n");
  }

  @Test
  @Timeout(60)
  void eachMigrationHasALineWithItsTimeWrittenAsItEnds() throws Exception {
    Exit exit;
    try (RunnerProcess runner =
        RunnerProcess.against(db)
            .args(
                "migrate",
                "--location",
                bundle.location(),
                "--result-file",
                dir.resolve("result.json").toString())
            .start(dir.resolve("out"))) {
      // While V2 sleeps, V1's line is already out: flushed as it goes, not at the end.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!runner.stderrSoFar().contains("Applying 2/3: V2 slow")) {
        assertThat(System.nanoTime()).as(runner.stderrSoFar()).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(runner.isAlive()).as("still in V2").isTrue();
      assertThat(runner.stderrSoFar()).containsPattern("Applied 1/3: V1 create a in \\d+ ms");
      exit = runner.awaitExit(Duration.ofSeconds(30));
    }

    assertThat(exit.code()).as(exit.toString()).isZero();
    // Only the runner's own lines: no library chatter between them.
    List<String> lines = exit.stderr().lines().toList();
    assertThat(lines).as(exit.toString()).hasSize(9);
    assertThat(lines.get(0)).startsWith("Created history table ");
    assertThat(lines.get(1))
        .isEqualTo("Migrating an empty database to revision 3: 3 migrations to apply");
    assertThat(lines.get(2)).isEqualTo("Applying 1/3: V1 create a");
    assertThat(lines.get(3)).matches("Applied 1/3: V1 create a in \\d+ ms");
    assertThat(lines.get(4)).isEqualTo("Applying 2/3: V2 slow");
    assertThat(millis(lines.get(5), "Applied 2/3: V2 slow in (\\d+) ms"))
        .as("V2's own time")
        .isBetween(3000L, 20_000L);
    assertThat(lines.get(6)).isEqualTo("Applying 3/3: V3 create c");
    assertThat(lines.get(7)).matches("Applied 3/3: V3 create c in \\d+ ms");
    assertThat(millis(lines.get(8), "Applied 3 migrations in (\\d+) ms; database at revision 3"))
        .isGreaterThanOrEqualTo(3000L);
    assertThat(exit.stdout())
        .as("the summary on stdout, the other half of the Job's log")
        .contains("3")
        .doesNotContainIgnoringCase("flyway")
        .doesNotContain("INFO", "WARN");
  }

  @Test
  @Timeout(60)
  void aDatabaseAtHeadGetsOneLine() throws Exception {
    bundle.delete("V2__slow.sql");
    try (RunnerProcess first =
        RunnerProcess.against(db).args("migrate", "--location", bundle.location()).start(dir)) {
      assertThat(first.awaitExit(Duration.ofSeconds(30)).code()).isZero();
    }

    Exit again;
    try (RunnerProcess runner =
        RunnerProcess.against(db).args("migrate", "--location", bundle.location()).start(dir)) {
      again = runner.awaitExit(Duration.ofSeconds(30));
    }

    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.stderr().lines()).containsExactly("Database is up to date at revision 3");
  }

  private static long millis(String line, String regex) {
    Matcher m = Pattern.compile(regex).matcher(line);
    assertThat(m.matches()).as(line + " matches " + regex).isTrue();
    return Long.parseLong(m.group(1));
  }
}
