package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A target that names no migration (neither a version of the bundle nor one in the history) fails
 * with ConfigurationInvalid, as Flyway's failOnMissingTarget does, instead of reporting success.
 */
class UnknownTargetTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;
  TestDatabase db;
  Bundle bundle;
  Runner runner;

  @BeforeEach
  void setUp() throws Exception {
    db = PG.newDatabase();
    bundle = Bundle.exampleIn(dir.resolve("sql"));
    runner = new Runner(db, bundle);
  }

  private static String message(Run run) {
    return run.json().path("error").path("message").asText();
  }

  private void assertUnknownTarget(Run run, String target) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.reason()).isEqualTo("ConfigurationInvalid");
    assertThat(message(run))
        .isEqualTo(
            "target "
                + target
                + " is not a version of this bundle (head 7) nor applied to the"
                + " database");
  }

  @Test
  void migrateToATargetBeyondTheHeadFailsInsteadOfReportingUpToDate() throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run run = runner.run("migrate", "--target", "99");

    assertUnknownTarget(run, "99");
    assertThat(run.json().path("currentRevision").asText()).isEqualTo("7");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6", "7");
  }

  @Test
  void migrateToAnUnknownTargetOnAFreshDatabaseCreatesNothing() throws Exception {
    Run run = runner.run("migrate", "--target", "99");

    assertUnknownTarget(run, "99");
    assertThat(db.tableExists("flyway_schema_history")).isFalse();
    assertThat(db.tableExists("accounts")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "4.5"})
  void undoToAnUnknownTargetUndoesNothing(String target) throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run run = runner.run("undo", "--target", target);

    assertUnknownTarget(run, target);
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6", "7");
  }

  @Test
  void downgradeToAnUnknownTargetUndoesNothing() throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run run = runner.run("migrate", "--target", "4.5", "--allow-downgrade");

    assertUnknownTarget(run, "4.5");
    assertThat(db.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6", "7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "base"})
  void undoToZeroOrBaseStillMeansEverything(String target) throws Exception {
    assertThat(runner.run("migrate").exitCode()).isZero();

    Run run = runner.run("undo", "--target", target);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(db.appliedVersions()).isEmpty();
  }

  @Test
  void aVersionOnlyInTheHistoryIsAKnownTarget() throws Exception {
    // An older bundle against a newer database: 6 and 7 are future versions, known from the
    // history, so they are targets the runner understands (here: already reached).
    assertThat(runner.run("migrate").exitCode()).isZero();
    bundle
        .delete("V6__index_accounts_email.sql")
        .delete("U6__index_accounts_email.sql")
        .delete("V7__drop_accounts_full_name.sql")
        .delete("U7__drop_accounts_full_name.sql");

    Run run = runner.run("migrate", "--target", "7");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().path("future").toString()).isEqualTo("[\"6\",\"7\"]");
  }
}
