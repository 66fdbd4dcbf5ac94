package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only what can heal within seconds is retried while connecting; a missing password, a refused
 * login and settings the driver or the server reject fail at once with the reason that says what to
 * fix, and never show a password.
 */
class ConnectFailuresTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final String ROLE = "app";
  private static final String PASSWORD = "s3cret-Pw";
  private static final String MARKER = "url-s3cret-Marker";

  /** What the first retry prints; a run that fails at once never prints it. */
  private static final String RETRYING = "Database not reachable yet";

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;

  @BeforeAll
  static void roles() throws Exception {
    PG.createRoleWithPassword(ROLE, PASSWORD);
    PG.admin().execute("CREATE ROLE limited LOGIN CONNECTION LIMIT 0");
  }

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = new Bundle(dir.resolve("sql")).threeVersions();
  }

  private String url(String query) {
    return "jdbc:postgresql://127.0.0.1:" + PG.port() + "/" + db.name() + query;
  }

  private Run migrate(String url, String user, String password) {
    return new Runner(url, user, password, bundle.location()).run("migrate");
  }

  private static String message(Run run) {
    return run.json().path("error").path("message").asText();
  }

  /** Failed with {@code reason} on the first attempt, without retrying or echoing secrets. */
  private void assertFailedAtOnce(Run run, int exit, String reason) throws Exception {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    assertThat(run.reason()).isEqualTo(reason);
    assertThat(message(run)).doesNotContain("attempt");
    assertThat(run.stderr()).doesNotContain(RETRYING);
    for (String secret : new String[] {PASSWORD, MARKER}) {
      assertThat(run.stdout()).doesNotContain(secret);
      assertThat(run.stderr()).doesNotContain(secret);
    }
    assertThat(db.tableExists("flyway_schema_history")).as("nothing ran").isFalse();
    assertStateUnknown(run);
  }

  /**
   * The result does not pass off "never read" as "an empty database"; the bundle's head, which
   * needs no database, is still there.
   */
  private static void assertStateUnknown(Run run) {
    assertThat(run.json().path("stateKnown").isBoolean()).as(run.toString()).isTrue();
    assertThat(run.json().path("stateKnown").asBoolean()).as(run.toString()).isFalse();
    assertThat(run.json().path("headRevision").asText()).as(run.toString()).isEqualTo("3");
  }

  @Test
  void missingPasswordIsAuthenticationFailedNamingWhatIsMissing() throws Exception {
    Run run = migrate(url(""), ROLE, null);

    assertFailedAtOnce(run, 7, "AuthenticationFailed");
    assertThat(message(run))
        .isEqualTo(
            "the server asked for a password for user 'app' and none was given: set"
                + " SCHEMAGATE_PASSWORD or --password-file");
  }

  @Test
  void emptyPasswordIsAMissingPassword() throws Exception {
    Run run = migrate(url(""), ROLE, "");

    assertFailedAtOnce(run, 7, "AuthenticationFailed");
    assertThat(message(run)).contains("none was given");
  }

  @Test
  void refusedLoginIsAuthenticationFailed() throws Exception {
    Run run = migrate(url(""), ROLE, "wrong-" + PASSWORD.substring(1));

    assertFailedAtOnce(run, 7, "AuthenticationFailed");
    assertThat(message(run)).contains("refused the login of user 'app'").contains("28P01");
  }

  @Test
  void invalidSslModeIsAConfigurationError() throws Exception {
    Run run = migrate(url("?sslmode=bogus"), ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("Invalid sslmode value: bogus").contains("not retried");
  }

  @Test
  void unknownUrlParameterIsAConfigurationErrorNamingIt() throws Exception {
    Run run = migrate(url("?sslmod=require&ApplicationName=x"), ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run))
        .contains("parameters the PostgreSQL driver does not know: sslmod")
        .doesNotContain("ApplicationName");
  }

  @Test
  void unparsableUrlIsAConfigurationError() throws Exception {
    Run run = migrate("jdbc:postgresql://127.0.0.1:99999/app", ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("cannot be parsed");
  }

  @Test
  void credentialsBeforeTheHostAreRefusedWithoutEchoingThem() throws Exception {
    String withUserInfo = url("").replace("//", "//" + ROLE + ":" + MARKER + "@");

    Run run = migrate(withUserInfo, ROLE, null);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("credentials before the host");
  }

  @Test
  void passwordParameterIsRefusedWithoutEchoingIt() throws Exception {
    Run run = migrate(url("?user=" + ROLE + "&password=" + MARKER), ROLE, null);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("carries a password");
  }

  @Test
  void passwordInsideOptionsIsRefusedWithoutEchoingIt() throws Exception {
    Run run = migrate(url("?options=-c%20password=" + MARKER), ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("carries a password");
  }

  @Test
  void sessionSettingTheServerRejectsIsAConfigurationError() throws Exception {
    Run run = migrate(url("?options=-c%20no_such_setting=1"), ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run))
        .contains("the server refused the session's settings")
        .contains("unrecognized configuration parameter \"no_such_setting\"");
  }

  @Test
  void unknownDatabaseIsAConfigurationErrorNamingIt() throws Exception {
    String missing = "jdbc:postgresql://127.0.0.1:" + PG.port() + "/no_such_db";

    Run run = migrate(missing, ROLE, PASSWORD);

    assertFailedAtOnce(run, 2, "ConfigurationInvalid");
    assertThat(message(run)).contains("database \"no_such_db\" does not exist");
  }

  @Test
  void unknownHostIsRetriedSinceAServiceMayJustHaveBeenCreated() throws Exception {
    Runner unknown =
        new Runner(
            "jdbc:postgresql://no-such-host.invalid:5432/app", ROLE, PASSWORD, bundle.location());

    assertRetriedUntilTheConnectTimeout(unknown.run("migrate", "--connect-timeout", "1s"));
  }

  @Test
  void tooManyConnectionsIsRetriedUntilTheConnectTimeout() throws Exception {
    Runner limited = new Runner(url(""), "limited", null, bundle.location());

    Run run = limited.run("migrate", "--connect-timeout", "1s");

    assertRetriedUntilTheConnectTimeout(run);
    assertThat(message(run)).contains("53300");
  }

  /** Failed as unreachable after retrying for the whole 1 s connect timeout. */
  private static void assertRetriedUntilTheConnectTimeout(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.reason()).isEqualTo("DatabaseUnreachable");
    assertThat(message(run)).contains("attempts within 1s");
    assertThat(run.stderr()).contains(RETRYING);
    assertStateUnknown(run);
  }
}
