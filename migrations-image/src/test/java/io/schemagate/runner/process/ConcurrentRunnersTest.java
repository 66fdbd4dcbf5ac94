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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two runner processes started at once on one database: Flyway's lock makes them take turns. */
class ConcurrentRunnersTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final int VERSIONS = 20;
  private static final String WAITING = "Waiting for another migration";

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void twoRunnersStartedTogetherApplyEveryMigrationExactlyOnce() throws Exception {
    TestDatabase db = PG.newDatabase();
    Bundle bundle = new Bundle(dir.resolve("sql"));
    bundle.file("V1__events.sql", "CREATE TABLE events (version INT NOT NULL);\n");
    for (int v = 2; v <= VERSIONS; v++) {
      // V2 holds the lock long enough that the second runner surely arrives while it is held.
      String slow = v == 2 ? "SELECT pg_sleep(2);\n" : "";
      bundle.file(
          "V" + v + "__table_" + v + ".sql",
          "CREATE TABLE t"
              + v
              + " (id INT);\n"
              + slow
              + "INSERT INTO events VALUES ("
              + v
              + ");\n");
    }

    Exit a;
    Exit b;
    try (RunnerProcess first = start(db, bundle);
        RunnerProcess second = start(db, bundle)) {
      a = first.awaitExit(Duration.ofSeconds(90));
      b = second.awaitExit(Duration.ofSeconds(90));
    }

    for (Exit run : List.of(a, b)) {
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.json().path("status").asText()).isEqualTo("Succeeded");
      assertThat(run.json().path("currentRevision").asText()).isEqualTo("20");
      assertThat(run.json().path("headRevision").asText()).isEqualTo("20");
      assertThat(run.json().path("pendingCount").asInt()).isZero();
    }
    assertThat(a.json().path("appliedCount").asInt() + b.json().path("appliedCount").asInt())
        .as("migrations applied by the two runners together")
        .isEqualTo(VERSIONS);
    assertThat(List.of(a.stderr().contains(WAITING), b.stderr().contains(WAITING)))
        .as("exactly one runner waited for the other's lock\n%s\n%s", a, b)
        .containsExactlyInAnyOrder(true, false);
    List<String> expected = IntStream.rangeClosed(1, VERSIONS).mapToObj(Integer::toString).toList();
    assertThat(db.column("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactlyElementsOf(expected);
    assertThat(db.column("SELECT version FROM events ORDER BY version"))
        .containsExactlyElementsOf(expected.subList(1, VERSIONS));
  }

  private RunnerProcess start(TestDatabase db, Bundle bundle) {
    return RunnerProcess.against(db)
        .args("migrate", "--lock-wait", "2m")
        .bundle(bundle)
        .start(dir.resolve("out"));
  }
}
