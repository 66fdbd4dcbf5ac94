package io.schemagate.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.Reason;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.RunnerProcess;
import io.schemagate.runner.testing.RunnerProcess.Exit;
import io.schemagate.runner.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A runner process stopped by a signal in the middle of a slow migration. */
class InterruptedRunTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  private static final String ORPHANED_BACKEND =
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'schemagate-runner'"
          + " AND query LIKE '%pg_sleep%'";

  TestDatabase db;
  Bundle bundle;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql"));
    bundle.file("V1__t1.sql", "CREATE TABLE t1 (id INT);\n");
    bundle.file("V3__t3.sql", "CREATE TABLE t3 (id INT);\n");
  }

  @Test
  @Timeout(90)
  void killedRunnerLeavesTheSlowMigrationUnappliedAndARerunFinishesIt() throws Exception {
    // A minute-long statement: without the runner's client_connection_check_interval the
    // orphaned backend would hold the lock (and the table) for all of it.
    slowV2();

    try (RunnerProcess runner = migrate("--placeholder", "sleep=60").start(dir.resolve("out"))) {
      awaitBackendInPgSleep(runner);
      runner.kill();
      Exit killed = runner.awaitExit(Duration.ofSeconds(10));
      assertThat(killed.code()).as("SIGKILL exit status").isEqualTo(137);
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!db.column(ORPHANED_BACKEND).isEmpty()) {
      assertThat(System.nanoTime())
          .as("the server ends the killed runner's statement within seconds")
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(db.appliedVersions()).containsExactly("1");
    assertThat(db.tableExists("t2")).isFalse();

    Exit rerun;
    // The same file, without the minute: the rerun has only to apply it.
    try (RunnerProcess again =
        migrate("--lock-wait", "1m", "--placeholder", "sleep=0").start(dir.resolve("out"))) {
      rerun = again.awaitExit(Duration.ofSeconds(70));
    }
    assertThat(rerun.code()).as(rerun.toString()).isZero();
    assertThat(rerun.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(rerun.json().path("appliedCount").asInt()).isEqualTo(2);
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history")).isEqualTo("3");
    assertThat(db.column("SELECT id FROM t2")).containsExactly("1");
  }

  @Test
  @Timeout(90)
  void sigtermCancelsTheStatementAndStillWritesTheResult() throws Exception {
    slowV2();
    Path resultFile = dir.resolve("result.json");

    Exit exit;
    try (RunnerProcess runner =
        migrate("--placeholder", "sleep=30", "--result-file", resultFile.toString())
            .start(dir.resolve("out"))) {
      awaitBackendInPgSleep(runner);
      runner.terminate();
      // Well before the statement's 30 s are up.
      exit = runner.awaitExit(Duration.ofSeconds(10));
    }

    assertThat(exit.code()).as(exit.toString()).isEqualTo(1);
    assertThat(exit.stderr()).contains("Termination requested");
    String written = Files.readString(resultFile, StandardCharsets.UTF_8);
    assertThat(written).as("compact: one line").doesNotContain("\n");
    assertThat(written.getBytes(StandardCharsets.UTF_8).length).isLessThan(2048);
    JsonNode result = RunnerProcess.parse(written, "result file");
    assertThat(result.path("status").asText()).isEqualTo("Failed");
    assertThat(result.path("currentRevision").asText()).isEqualTo("1");
    JsonNode error = result.path("error");
    assertThat(error.path("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(error.path("sqlState").asText()).isEqualTo("57014");
    assertThat(error.path("version").asText()).isEqualTo("2");
    assertThat(error.path("file").asText()).isEqualTo("V2__slow.sql");
    assertThat(error.path("line").asInt()).isEqualTo(2);
    assertThat(error.path("partial").asBoolean()).isFalse();
    assertThat(exit.json()).as("stdout carries the same result").isEqualTo(result);

    assertThat(db.appliedVersions()).containsExactly("1");
    assertThat(db.value("SELECT count(*) FROM flyway_schema_history"))
        .as("no failed row")
        .isEqualTo("1");
    assertThat(db.tableExists("t2")).isFalse();
    assertThat(sleepingRunnerBackends()).as("the statement was cancelled on the server").isZero();
  }

  @Test
  @Timeout(90)
  void sigtermWhileWaitingForTheLockStillWritesTheResult() throws Exception {
    Path resultFile = dir.resolve("result.json");
    Exit exit;
    // Another migration of this database holds Flyway's lock for as long as this test wants.
    try (Connection other = db.holdingMigrationLock()) {
      try (RunnerProcess runner =
          migrate("--lock-wait", "5m", "--result-file", resultFile.toString())
              .start(dir.resolve("out"))) {
        awaitStderr(runner, "Waiting for another migration");
        runner.terminate();
        // Well before the lock wait's 5 min are up.
        exit = runner.awaitExit(Duration.ofSeconds(10));
      }
    }

    assertThat(resultFile).as("result file after SIGTERM; %s", exit).exists();
    JsonNode result = RunnerProcess.parse(Files.readString(resultFile), "result file");
    assertThat(result.path("status").asText()).isEqualTo("Failed");
    String reason = result.path("error").path("reason").asText();
    assertThat(exit.code()).as(exit.toString()).isEqualTo(Reason.valueOf(reason).exitCode());
    assertThat(db.tableExists("t1")).isFalse();
  }

  @Test
  @Timeout(90)
  void sigtermWhileRetryingTheConnectionSaysItWasStoppedAndAfterHowManyAttempts() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Exit exit;
    try (RunnerProcess runner =
        RunnerProcess.bare()
            .env("SCHEMAGATE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/app")
            .env("SCHEMAGATE_USER", "app")
            .args("migrate", "--connect-timeout", "1m")
            .bundle(bundle)
            .start(dir.resolve("out"))) {
      awaitStderr(runner, "Database not reachable yet");
      runner.terminate();
      exit = runner.awaitExit(Duration.ofSeconds(30));
    }

    assertThat(exit.code()).as(exit.toString()).isEqualTo(3);
    assertThat(exit.reason()).isEqualTo("DatabaseUnreachable");
    assertThat(exit.json().path("error").path("message").asText())
        .matches(
            "stopped by a termination request while connecting, after [0-9]+ attempts? in"
                + " [0-9]+\\.[0-9]s: .*")
        .doesNotContain("within 1m");
  }

  /**
   * V2 creates t2, sleeps for the placeholder {@code sleep} (seconds), then fills it: a
   * transactional migration that takes as long as a run asks.
   */
  private void slowV2() {
    bundle.file(
        "V2__slow.sql",
        "CREATE TABLE t2 (id INT);\nSELECT pg_sleep(${sleep});\nINSERT INTO t2 VALUES (1);\n");
  }

  private RunnerProcess.Builder migrate(String... options) {
    return RunnerProcess.against(db).args("migrate").args(options).bundle(bundle);
  }

  /** Polls until the runner's backend runs pg_sleep; fails early if the runner has exited. */
  private void awaitBackendInPgSleep(RunnerProcess runner) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sleepingRunnerBackends() == 0) {
      if (!runner.isAlive()) {
        throw new AssertionError(
            "runner exited before reaching pg_sleep: " + runner.awaitExit(Duration.ZERO));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("runner never reached pg_sleep: " + runner.stderrSoFar());
      }
      Thread.sleep(50);
    }
  }

  /** Polls the runner's stderr until it shows {@code text}; fails early if the runner exited. */
  private static void awaitStderr(RunnerProcess runner, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!runner.stderrSoFar().contains(text)) {
      if (!runner.isAlive()) {
        throw new AssertionError(
            "runner exited before printing '" + text + "': " + runner.awaitExit(Duration.ZERO));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("runner never printed '" + text + "': " + runner.stderrSoFar());
      }
      Thread.sleep(50);
    }
  }

  private int sleepingRunnerBackends() throws Exception {
    return Integer.parseInt(
        db.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'schemagate-runner' AND state = 'active'"
                + " AND query LIKE '%pg_sleep%'"));
  }
}
