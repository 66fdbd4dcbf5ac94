package io.schemagate.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.RunnerProcess;
import io.schemagate.runner.testing.RunnerProcess.Exit;
import io.schemagate.runner.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a runner process gets to its database: an unreachable server, a refused login, and the
 * password, which must reach the runner only through the environment or a file and never leave it.
 */
class ConnectionAndSecretsTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final String ROLE = "app";
  private static final String PASSWORD = "s3cret-Pw";
  private static final String WRONG = "wrong-Pw-123";

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;

  @BeforeAll
  static void passwordRole() throws Exception {
    PG.createRoleWithPassword(ROLE, PASSWORD);
  }

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql")).threeVersions();
  }

  @Test
  @Timeout(60)
  void unreachableDatabaseFailsAfterTheConnectTimeoutWithExitCode3() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/app";

    // Well before the default connect timeout's 60 s are up.
    Exit exit =
        run(
            RunnerProcess.bare()
                .env("SCHEMAGATE_URL", url)
                .env("SCHEMAGATE_USER", ROLE)
                .env("SCHEMAGATE_PASSWORD", PASSWORD)
                .args("migrate", "--connect-timeout", "2s")
                .bundle(bundle),
            Duration.ofSeconds(10));

    assertThat(exit.code()).as(exit.toString()).isEqualTo(3);
    assertThat(exit.reason()).isEqualTo("DatabaseUnreachable");
    assertThat(exit.json().path("error").path("message").asText()).contains("within 2s");
    assertThat(exit.stderr()).as("it retried").contains("Database not reachable yet");
  }

  @Test
  @Timeout(60)
  void wrongPasswordIsAuthenticationFailedAndTheRightOneMigrates() throws Exception {
    Exit refused = run(asApp(WRONG).args("migrate").bundle(bundle));

    assertThat(refused.code()).as(refused.toString()).isEqualTo(7);
    assertThat(refused.reason()).isEqualTo("AuthenticationFailed");
    assertThat(refused.json().path("error").path("message").asText()).contains("'app'");

    Exit accepted = run(asApp(PASSWORD).args("migrate").bundle(bundle));

    assertThat(accepted.code()).as(accepted.toString()).isZero();
    assertThat(accepted.json().path("currentRevision").asText()).isEqualTo("3");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  @Timeout(90)
  void passwordsNeverAppearInStdoutStderrOrTheResultFile() throws Exception {
    String closed = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/app";
    assertNoSecret(asApp(WRONG).args("migrate", "--output", "json"), 7);
    assertNoSecret(asApp(WRONG).args("migrate", "--output", "text"), 7);
    assertNoSecret(asApp(PASSWORD).args("info", "--output", "json"), 0);
    assertNoSecret(asApp(PASSWORD).args("migrate", "--output", "text"), 0);
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3");
    // A URL that carries the password is refused before connecting, and no message repeats it.
    assertNoSecret(urlWithPassword(db.url(), WRONG).args("migrate", "--output", "json"), 2);
    assertNoSecret(urlWithPassword(db.url(), PASSWORD).args("migrate", "--output", "text"), 2);
    assertNoSecret(urlWithPassword(closed, PASSWORD).args("migrate", "--connect-timeout", "1s"), 2);
  }

  @Test
  @Timeout(60)
  void passwordOnTheCommandLineIsRefusedWithoutEchoingIt() throws Exception {
    Exit separate =
        assertNoSecret(
            asApp(PASSWORD).args("migrate", "--output", "json", "--password", PASSWORD), 2);
    assertThat(separate.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(separate.json().path("error").path("message").asText())
        .contains("SCHEMAGATE_PASSWORD");
    Exit joined =
        assertNoSecret(
            asApp(PASSWORD).args("migrate", "--output", "json", "--password=" + PASSWORD), 2);
    assertThat(joined.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(db.tableExists("flyway_schema_history")).as("nothing ran").isFalse();
  }

  @Test
  @Timeout(60)
  void passwordBeforeTheCommandIsAUsageErrorThatDoesNotEchoIt() throws Exception {
    // An option where the command belongs is named, its value never echoed.
    Exit exit =
        run(
            asApp(PASSWORD)
                .args("--password", PASSWORD, "migrate", "--location", bundle.location()));

    assertThat(exit.code()).as(exit.toString()).isEqualTo(2);
    assertThat(exit.stderr()).contains("--password").doesNotContain(PASSWORD);
    assertThat(exit.stdout()).doesNotContain(PASSWORD);
    assertThat(db.tableExists("flyway_schema_history")).as("nothing ran").isFalse();
  }

  @Test
  @Timeout(60)
  void passwordFileIsReadInsteadOfTheEnvironment() throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, PASSWORD + "\n", StandardCharsets.UTF_8);

    Exit exit =
        assertNoSecret(
            asApp(PASSWORD)
                .withoutEnv("SCHEMAGATE_PASSWORD")
                .args("migrate", "--output", "json", "--password-file", file.toString()),
            0);

    assertThat(exit.json().path("currentRevision").asText()).isEqualTo("3");
  }

  @Test
  @Timeout(60)
  void unreadablePasswordFileIsAConfigurationErrorThatDoesNotShowItsContents() throws Exception {
    // Not valid UTF-8, so it cannot be read as text (a permission bit would not stop root).
    Path file = dir.resolve("password");
    byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[secret.length + 2];
    System.arraycopy(secret, 0, bytes, 0, secret.length);
    bytes[secret.length] = (byte) 0xC3;
    bytes[secret.length + 1] = (byte) 0x28;
    Files.write(file, bytes);

    Exit exit =
        assertNoSecret(
            asApp(PASSWORD)
                .withoutEnv("SCHEMAGATE_PASSWORD")
                .args("migrate", "--output", "json", "--password-file", file.toString()),
            2);

    assertThat(exit.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(exit.json().path("error").path("message").asText()).contains(file.toString());
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
  }

  private RunnerProcess.Builder asApp(String password) {
    return RunnerProcess.bare()
        .env("SCHEMAGATE_URL", db.url())
        .env("SCHEMAGATE_USER", ROLE)
        .env("SCHEMAGATE_PASSWORD", password);
  }

  private static RunnerProcess.Builder urlWithPassword(String url, String password) {
    return RunnerProcess.bare()
        .env("SCHEMAGATE_URL", url + "?user=" + ROLE + "&password=" + password);
  }

  /**
   * Runs with {@code --location} and a result file, expects {@code exitCode}, and checks that no
   * password shows in anything the runner wrote.
   */
  private Exit assertNoSecret(RunnerProcess.Builder builder, int exitCode) throws Exception {
    Path resultFile = Files.createTempFile(dir, "result-", ".json");
    Files.delete(resultFile);
    Exit exit =
        run(builder.args("--location", bundle.location(), "--result-file", resultFile.toString()));
    assertThat(exit.code()).as(exit.toString()).isEqualTo(exitCode);
    String written =
        Files.exists(resultFile) ? Files.readString(resultFile, StandardCharsets.UTF_8) : "";
    for (String secret : new String[] {PASSWORD, WRONG}) {
      assertThat(exit.stdout()).as("stdout").doesNotContain(secret);
      assertThat(exit.stderr()).as("stderr").doesNotContain(secret);
      assertThat(written).as("result file").doesNotContain(secret);
    }
    assertThat(written).as("result file of %s", exit).isNotEmpty();
    return exit;
  }

  private Exit run(RunnerProcess.Builder builder) {
    return run(builder, Duration.ofSeconds(45));
  }

  private Exit run(RunnerProcess.Builder builder, Duration bound) {
    try (RunnerProcess runner = builder.start(dir.resolve("out"))) {
      return runner.awaitExit(bound);
    }
  }

  /** A local port nothing listens on (bound for a moment to find it, then released). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
