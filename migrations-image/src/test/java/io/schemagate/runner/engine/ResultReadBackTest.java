package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result's revision fields are read back from the history table after the command, whatever ended
 * it: a failed undo script, a connection the server dropped mid-run. They agree with {@code info}
 * and with the table itself.
 */
class ResultReadBackTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;
  Runner runner;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
  }

  private void example() {
    bundle = Bundle.exampleIn(dir.resolve("sql"));
    runner = new Runner(db, bundle);
    assertThat(runner.run("migrate").exitCode()).isZero();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
    return out;
  }

  /** The result's revision, pending and future fields are those of info, run right after. */
  private void assertAgreesWithInfo(Run run) {
    Run info = runner.run("info");
    assertThat(info.exitCode()).as(info.toString()).isZero();
    for (String field : List.of("currentRevision", "pending", "future")) {
      assertThat(run.json().path(field))
          .as(field + " of " + run)
          .isEqualTo(info.json().path(field));
    }
  }

  @Test
  void failedTransactionalUndoScriptReportsTheRevisionTheDatabaseIsAt() throws Exception {
    example();
    bundle.file("U6__index_accounts_email.sql", "select 1/0;\n");

    Run run = runner.run("undo", "--target", "4");

    assertU7UndoneAndU6Failed(run);
    assertThat(run.json().path("error").path("file").asText())
        .isEqualTo("U6__index_accounts_email.sql");
  }

  @Test
  void failedDowngradeReportsTheRevisionTheDatabaseIsAt() throws Exception {
    example();
    bundle.file("U6__index_accounts_email.sql", "select 1/0;\n");

    Run run = runner.run("migrate", "--target", "4", "--allow-downgrade");

    assertU7UndoneAndU6Failed(run);
    assertThat(run.json().path("appliedCount").asInt()).isZero();
  }

  @Test
  void failedNonTransactionalUndoScriptReportsTheRevisionTheDatabaseIsAt() throws Exception {
    example();
    bundle.file("U6__index_accounts_email.sql", "DROP INDEX CONCURRENTLY no_such_index;\n");

    Run run = runner.run("undo", "--target", "4");

    assertU7UndoneAndU6Failed(run);
    assertThat(run.json().path("error").path("partial").asBoolean()).isTrue();
  }

  /** The result, info and the table all say: U7 ran, U6 failed, so the database is at 6. */
  private void assertU7UndoneAndU6Failed(Run run) throws Exception {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.json().path("currentRevision").asText()).as("U7 ran").isEqualTo("6");
    assertThat(texts(run.json().path("pending"))).containsExactly("7");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6");
    assertAgreesWithInfo(run);
  }

  @Test
  void connectionDroppedMidRunReportsWhatTheHistoryHoldsReadOverAFreshConnection()
      throws Exception {
    bundle = slowThird();
    runner = new Runner(db, bundle);

    Run run = whileThirdSleeps(runner, () -> terminateRunnerBackend());

    assertThat(run.reason()).as(run.toString()).isEqualTo("DatabaseUnreachable");
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("2");
    assertThat(texts(run.json().path("pending"))).containsExactly("3");
    List<String> applied = new ArrayList<>();
    run.json().path("applied").forEach(a -> applied.add(a.path("version").asText()));
    assertThat(applied).containsExactly("1", "2");
    assertThat(run.json().path("appliedCount").asInt()).isEqualTo(2);
    assertThat(run.json().path("warnings").toString()).doesNotContain("re-read");
    assertThat(db.appliedVersions()).containsExactly("1", "2");
    assertAgreesWithInfo(run);
  }

  @Test
  void whenNoConnectionCanReadTheHistoryTheResultKeepsTheLastReadAndSaysSo() throws Exception {
    bundle = slowThird();
    runner = new Runner(db, bundle);
    assertThat(runner.run("migrate", "--target", "1").exitCode()).isZero();
    String name = db.name();

    Run run;
    try {
      run =
          whileThirdSleeps(
              runner,
              () -> {
                PG.admin().execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                terminateRunnerBackend();
              });
    } finally {
      PG.admin().execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    assertThat(run.reason()).as(run.toString()).isEqualTo("DatabaseUnreachable");
    assertThat(run.json().path("warnings").toString())
        .contains("could not be re-read")
        .contains("as last read during the run");
    assertThat(run.json().path("stateKnown").asBoolean(true))
        .as("not the state after the run")
        .isFalse();
    assertThat(run.json().path("currentRevision").asText())
        .as("the last read, before V2 committed")
        .isEqualTo("1");
    assertThat(db.appliedVersions()).as("what the database holds").containsExactly("1", "2");
    assertThat(runner.run("info").json().path("currentRevision").asText()).isEqualTo("2");
  }

  /** V1 and V2 are quick; V3 sleeps for half a minute, long enough to be interrupted. */
  private Bundle slowThird() {
    return new Bundle(dir.resolve("slow"))
        .file("V1__one.sql", "CREATE TABLE one (id INT);\n")
        .file("V2__two.sql", "CREATE TABLE two (id INT);\n")
        .file("V3__slow.sql", "CREATE TABLE three (id INT);\nSELECT pg_sleep(30);\n");
  }

  /** Something done to the database from outside while the runner sleeps in V3. */
  @FunctionalInterface
  private interface Interference {
    void run() throws Exception;
  }

  /** Runs migrate, does {@code interference} once V3 is sleeping, and returns the result. */
  private Run whileThirdSleeps(Runner r, Interference interference) throws Exception {
    CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> r.run("migrate"));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sleepingBackend() == null) {
      assertThat(running).as("migrate ended before V3 slept").isNotDone();
      assertThat(System.nanoTime()).as("V3 never started sleeping").isLessThan(deadline);
      Thread.sleep(20);
    }
    interference.run();
    return running.get(30, TimeUnit.SECONDS);
  }

  /** The runner's backend while it sleeps, looked up from the maintenance database. */
  private String sleepingBackend() throws Exception {
    return PG.admin()
        .value(
            "SELECT pid FROM pg_stat_activity WHERE datname = '"
                + db.name()
                + "' AND application_name = 'schemagate-runner'"
                + " AND query LIKE '%pg_sleep%' AND state = 'active'");
  }

  private void terminateRunnerBackend() throws Exception {
    PG.admin().execute("SELECT pg_terminate_backend(" + sleepingBackend() + ")");
  }
}
