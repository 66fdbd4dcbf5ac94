package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The wait's session cannot write, whatever runs on it. */
class RevisionWaiterTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @Test
  void theWaitersSessionRefusesEveryWrite() throws Exception {
    TestDatabase db = PG.newDatabase("CREATE TABLE t (id INT)");
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()));
    StatementCanceller canceller = new StatementCanceller();
    DatabaseConnector connector =
        new DatabaseConnector(
            db.url(), db.user(), db.password(), Duration.ofSeconds(5), progress, canceller);
    RunnerSettings settings =
        new RunnerSettings(
            Path.of("/nonexistent"),
            List.of(),
            RunnerSettings.DEFAULT_HISTORY_TABLE,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            new Placeholders(java.util.Map.of()),
            false);
    RevisionWaiter waiter =
        new RevisionWaiter(connector, settings, progress, canceller, Duration.ofSeconds(1));

    try (DatabaseSession session = waiter.openReadOnly(Duration.ofSeconds(5));
        Statement st = session.connection().createStatement()) {
      for (String write :
          List.of(
              "INSERT INTO t VALUES (1)",
              "CREATE TABLE flyway_schema_history (id INT)",
              "CREATE SCHEMA other")) {
        SQLException refused = catchThrowableOfType(SQLException.class, () -> st.execute(write));
        assertThat((Object) refused).as(write).isNotNull();
        assertThat(refused.getSQLState()).as(write).isEqualTo("25006"); // read_only_sql_transaction
      }
      // Reading works.
      assertThat(session.history().exists()).isFalse();
    }
    assertThat(db.value("SELECT count(*) FROM t")).isEqualTo("0");
  }
}
