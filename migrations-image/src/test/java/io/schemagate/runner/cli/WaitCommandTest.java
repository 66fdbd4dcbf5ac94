package io.schemagate.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.runner.engine.StatementCanceller;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait}: the read-only init-container gate, against a real PostgreSQL. Timeouts on the tests
 * only stop a hang; no assertion depends on how fast anything is.
 */
class WaitCommandTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final String ROLE = "waiter_app";
  private static final String PASSWORD = "w4it-Pw";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;
  Runner runner;

  @BeforeAll
  static void passwordRole() throws Exception {
    PG.createRoleWithPassword(ROLE, PASSWORD);
  }

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql"));
    runner = new Runner(db, bundle);
  }

  private Bundle flywayOrder() {
    return bundle
        .file("V1__a.sql", "CREATE TABLE a (id INT);\n")
        .file("U1__a.sql", "DROP TABLE a;\n")
        .file("V1.9__b.sql", "CREATE TABLE b (id INT);\n")
        .file("U1.9__b.sql", "DROP TABLE b;\n")
        .file("V1.10__c.sql", "CREATE TABLE c (id INT);\n")
        .file("U1.10__c.sql", "DROP TABLE c;\n");
  }

  private static Run ok(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  @Test
  @Timeout(60)
  void returnsAtOnceWhenAtOrPastTheTargetInFlywayVersionOrder() {
    flywayOrder();
    ok(runner.run("migrate"));

    for (String target : new String[] {"1", "1.9", "1.10", "1.09"}) {
      // A zero timeout looks exactly once: only a revision already there passes.
      Run run = ok(runner.run("wait", "--target", target, "--timeout", "0"));
      assertThat(run.json().path("status").asText()).isEqualTo("Succeeded");
      assertThat(run.json().path("outcome").asText()).isEqualTo("Reached");
      assertThat(run.json().path("currentRevision").asText()).isEqualTo("1.10");
      assertThat(run.json().path("stateKnown").asBoolean()).isTrue();
    }
    Run beyond = runner.run("wait", "--target", "1.11", "--timeout", "0");
    assertThat(beyond.exitCode()).as(beyond.toString()).isEqualTo(10);
    assertThat(beyond.reason()).isEqualTo("WaitTimedOut");
  }

  @Test
  @Timeout(60)
  void nineIsBelowTen() {
    flywayOrder();
    ok(runner.run("migrate", "--target", "1.9"));

    Run run = runner.run("wait", "--target", "1.10", "--timeout", "0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("1.9");
    assertThat(run.json().path("targetRevision").asText()).isEqualTo("1.10");
  }

  @Test
  @Timeout(60)
  void timesOutWithExitCode10AndOneLineSayingWhatItSawLast() {
    flywayOrder();
    ok(runner.run("migrate", "--target", "1"));

    Run run = runner.run("wait", "--target", "1.9", "--timeout", "1s", "--interval", "100ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
    JsonNode json = run.json();
    assertThat(json.path("status").asText()).isEqualTo("Failed");
    assertThat(json.path("outcome").asText()).isEqualTo("TimedOut");
    assertThat(json.path("polls").asInt()).isGreaterThan(1);
    assertThat(json.path("currentRevision").asText()).isEqualTo("1");
    String errorLines =
        run.stderr().lines().filter(l -> l.startsWith("error:")).reduce("", (a, b) -> a + b + "\n");
    assertThat(errorLines.lines()).hasSize(1);
    assertThat(errorLines)
        .contains("WaitTimedOut")
        .contains("revision 1.9")
        .contains("timeout 1s")
        .contains("database at 1");
    assertThat(run.stderr()).contains("Waiting for revision 1.9; database at 1");
  }

  @Test
  @Timeout(60)
  void anUndoneVersionDoesNotCount() {
    flywayOrder();
    ok(runner.run("migrate"));
    ok(runner.run("undo", "--target", "1"));

    Run run = runner.run("wait", "--target", "1.9", "--timeout", "0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("1");
  }

  @Test
  @Timeout(120)
  void waitsForAMissingHistoryTableAndReturnsOnceAMigrationReachesTheTarget() throws Exception {
    flywayOrder();
    Waiting waiting =
        start(env(db.url(), db.user(), null), "--target", "1.9", "--interval", "50ms");

    waiting.awaitStderr("no history table");
    assertThat(waiting.done()).as("still waiting with no history table").isFalse();
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
    ok(runner.run("migrate", "--target", "1"));
    waiting.awaitStderr("database at 1");
    assertThat(waiting.done()).as("still waiting at revision 1").isFalse();
    ok(runner.run("migrate", "--target", "1.9"));

    Run run = waiting.finish();
    ok(run);
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("1.9");
    assertThat(run.json().path("outcome").asText()).isEqualTo("Reached");
  }

  @Test
  @Timeout(60)
  void missingHistoryTableIsWaitedOnNeverCreated() throws Exception {
    Run run = runner.run("wait", "--target", "1", "--timeout", "500ms", "--interval", "100ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
    assertThat(run.json().path("currentRevision").isNull()).isTrue();
    assertThat(run.json().path("lastSeen").asText()).contains("no history table");
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
  }

  @Test
  @Timeout(60)
  void aRoleThatMayOnlyReadTheHistoryIsEnough() throws Exception {
    flywayOrder();
    ok(runner.run("migrate"));
    String reader = "reader_" + db.name();
    db.execute(
        "CREATE ROLE " + reader + " LOGIN",
        "REVOKE ALL ON DATABASE " + db.name() + " FROM PUBLIC",
        "GRANT CONNECT ON DATABASE " + db.name() + " TO " + reader,
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO " + reader,
        "GRANT SELECT ON flyway_schema_history TO " + reader);

    Run run =
        ok(new Runner(db.url(), reader, null, bundle.location()).run("wait", "--target", "1.10"));
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("1.10");

    db.execute("REVOKE SELECT ON flyway_schema_history FROM " + reader);
    Run denied =
        new Runner(db.url(), reader, null, bundle.location()).run("wait", "--target", "1.10");
    assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(2);
    assertThat(denied.json().path("error").path("message").asText())
        .contains("permission denied")
        .contains("SELECT");
  }

  @Test
  @Timeout(60)
  void wrongPasswordExitsAtOnceWithTheAuthenticationCode() {
    Runner wrong = new Runner(db.url(), ROLE, "not-" + PASSWORD, bundle.location());

    // With the default 10 minute timeout: only an immediate failure ends this before @Timeout.
    Run run = wrong.run("wait", "--target", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
    assertThat(run.reason()).isEqualTo("AuthenticationFailed");
    assertThat(run.stdout() + run.stderr()).doesNotContain(PASSWORD);
  }

  @Test
  @Timeout(60)
  void theRightPasswordWaitsAsUsual() {
    flywayOrder();
    ok(runner.run("migrate"));
    ok(new Runner(db.url(), ROLE, PASSWORD, bundle.location()).run("wait", "--target", "1.10"));
  }

  @Test
  @Timeout(60)
  void aRefusedConnectionIsWaitedOnNotFatal() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres";

    Run run =
        new Runner(url, "postgres", null, bundle.location())
            .run("wait", "--target", "1", "--timeout", "1s", "--interval", "100ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
    assertThat(run.json().path("lastSeen").asText()).contains("database not reachable");
    assertThat(run.json().path("polls").asInt()).isGreaterThan(1);
    assertThat(run.stderr()).contains("Waiting for revision 1; database not reachable");
  }

  @Test
  @Timeout(180)
  void aServerThatStartsLaterIsWaitedForAndThenPassesTheGate() throws Exception {
    flywayOrder();
    int port = closedPort();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    Waiting waiting = start(env(url, "postgres", null), "--target", "1.10", "--interval", "50ms");
    waiting.awaitStderr("database not reachable");
    assertThat(waiting.done()).isFalse();

    try (EmbeddedPostgres late = EmbeddedPostgres.builder().setPort(port).start()) {
      ok(new Runner(url, "postgres", null, bundle.location()).run("migrate"));

      Run run = ok(waiting.finish());
      assertThat(run.json().path("currentRevision").asText()).isEqualTo("1.10");
    }
  }

  @Test
  void badArgumentsAreUsageErrorsWithOneClearLine() {
    // Text output, the default: stderr carries the error line.
    String loc = bundle.location();
    assertUsage(runner.raw("wait", "--location", loc), "missing required option --target");
    assertUsage(
        runner.raw("wait", "--target", "v5", "--location", loc),
        "--target: 'v5' is not a revision");
    assertUsage(
        runner.raw("wait", "--target", "5", "--timeout", "ten", "--location", loc),
        "--timeout: invalid");
    assertUsage(
        runner.raw("wait", "--target", "5", "--interval", "5x", "--location", loc),
        "--interval: invalid");
    assertUsage(
        runner.raw("wait", "--target", "5", "--interval", "0", "--location", loc),
        "--interval must be");
    Run json = runner.run("wait", "--target", "1..2");
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(2);
    assertThat(json.reason()).isEqualTo("ConfigurationInvalid");
  }

  private static void assertUsage(Run run, String message) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr().lines().filter(l -> l.startsWith("error:")))
        .as(run.toString())
        .singleElement()
        .asString()
        .contains(message);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> env(String url, String user, String password) {
    Map<String, String> env = new HashMap<>();
    env.put("SCHEMAGATE_URL", url);
    env.put("SCHEMAGATE_USER", user);
    if (password != null) {
      env.put("SCHEMAGATE_PASSWORD", password);
    }
    return env;
  }

  /** A {@code wait} running on another thread, whose stderr can be watched while it runs. */
  private Waiting start(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 5];
    all[0] = "wait";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--location";
    all[args.length + 2] = bundle.location();
    all[args.length + 3] = "--output";
    all[args.length + 4] = "json";
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                  PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                return RunnerCli.execute(
                    new RunnerContext(Map.copyOf(env), o, e, new StatementCanceller()), all);
              }
            });
    return new Waiting(exit, out, err);
  }

  private record Waiting(
      CompletableFuture<Integer> exit, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    boolean done() {
      return exit.isDone();
    }

    void awaitStderr(String text) throws InterruptedException {
      while (!err.toString(StandardCharsets.UTF_8).contains(text)) {
        assertThat(exit.isDone())
            .as("wait ended before saying '%s': %s", text, err.toString(StandardCharsets.UTF_8))
            .isFalse();
        Thread.sleep(20);
      }
    }

    Run finish() throws Exception {
      int code = exit.get(60, TimeUnit.SECONDS);
      String stdout = out.toString(StandardCharsets.UTF_8);
      return new Run(code, stdout, err.toString(StandardCharsets.UTF_8), JSON.readTree(stdout));
    }
  }
}
