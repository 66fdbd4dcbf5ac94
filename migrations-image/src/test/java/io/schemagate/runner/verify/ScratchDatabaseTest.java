package io.schemagate.runner.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.testing.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScratchDatabaseTest {
  private static final String PASSWORD = "s3cret-Pa55word";
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @BeforeAll
  static void roles() throws Exception {
    PG.admin()
        .execute(
            "CREATE ROLE creator LOGIN CREATEDB PASSWORD '" + PASSWORD + "'",
            "CREATE ROLE plain LOGIN NOCREATEDB",
            "CREATE ROLE locked NOLOGIN");
  }

  @Test
  void onServerCreatesItsDatabaseAndDropsItOnClose() throws Exception {
    String name;
    try (ScratchDatabase scratch =
        ScratchDatabase.onServer(PG.admin().url(), "creator", PASSWORD)) {
      name = ((ServerScratchDatabase) scratch).name();
      assertThat(name).matches("schemagate_verify_[0-9a-f]{16}");
      assertThat(databaseExists(name)).isTrue();
      assertThat(scratch.jdbcUrl()).isEqualTo(PG.admin().url().replace("/postgres", "/" + name));
      try (Connection c = scratch.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_database(), current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(name);
        assertThat(rs.getString(2)).isEqualTo("creator");
      }
    }
    assertThat(databaseExists(name)).isFalse();
  }

  @Test
  void scratchDatabasesHaveDistinctNames() {
    try (ScratchDatabase first = ScratchDatabase.onServer(PG.admin().url(), "creator", null);
        ScratchDatabase second = ScratchDatabase.onServer(PG.admin().url(), "creator", null)) {
      assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
    }
  }

  @Test
  void closeDropsTheDatabaseWhileSessionsAreStillOpen() throws Exception {
    ScratchDatabase scratch = ScratchDatabase.onServer(PG.admin().url(), "creator", null);
    String name = ((ServerScratchDatabase) scratch).name();
    try (Connection forgotten = scratch.connect()) {
      scratch.close();

      assertThat(databaseExists(name)).isFalse();
      assertThat(forgotten.isValid(2)).isFalse();
    }
  }

  @Test
  void closingTwiceDropsOnce() {
    ScratchDatabase scratch = ScratchDatabase.onServer(PG.admin().url(), "creator", null);
    scratch.close();

    scratch.close();
  }

  @Test
  void userWithoutCreateDbIsAConfigurationError() {
    assertThatThrownBy(() -> ScratchDatabase.onServer(PG.admin().url(), "plain", PASSWORD))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ConfigurationInvalid);
              assertThat(e.getMessage())
                  .contains("could not create the scratch database")
                  .contains("as plain")
                  .contains("permission denied")
                  .doesNotContain(PASSWORD);
            });
  }

  @Test
  void refusedLoginIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> ScratchDatabase.onServer(PG.admin().url(), "locked", PASSWORD))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.AuthenticationFailed);
              assertThat(e.getMessage())
                  .contains("not permitted to log in")
                  .doesNotContain(PASSWORD);
            });
  }

  @Test
  void unreachableServerIsReportedWithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url =
        "jdbc:postgresql://localhost:"
            + closedPort
            + "/postgres?password="
            + PASSWORD
            + "&ssl=false";

    assertThatThrownBy(() -> ScratchDatabase.onServer(url, "creator", PASSWORD))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.DatabaseUnreachable);
              assertThat(e.getMessage())
                  .contains("localhost:" + closedPort)
                  .doesNotContain(PASSWORD);
              assertThat(e.getCause()).isInstanceOf(SQLException.class);
              assertThat(e.getCause().getMessage()).doesNotContain(PASSWORD);
            });
  }

  @Test
  void urlOfAnotherKindOfDatabaseIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                ScratchDatabase.onServer(
                    "jdbc:mysql://db:3306/app?password=" + PASSWORD, "creator", PASSWORD))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ConfigurationInvalid);
              assertThat(e.getMessage()).doesNotContain(PASSWORD);
            });
  }

  @Test
  void scratchUrlKeepsHostsPortAndParameters() {
    assertThat(
            List.of(
                ServerScratchDatabase.withDatabase(
                    "jdbc:postgresql://db:5432/orders?sslmode=require&currentSchema=app", "x"),
                ServerScratchDatabase.withDatabase("jdbc:postgresql://a:1,b:2/orders", "x"),
                ServerScratchDatabase.withDatabase("jdbc:postgresql://db", "x"),
                ServerScratchDatabase.withDatabase("jdbc:postgresql://db/?ssl=true", "x"),
                ServerScratchDatabase.withDatabase("jdbc:postgresql:orders?ssl=true", "x")))
        .containsExactly(
            "jdbc:postgresql://db:5432/x?sslmode=require&currentSchema=app",
            "jdbc:postgresql://a:1,b:2/x",
            "jdbc:postgresql://db/x",
            "jdbc:postgresql://db/x?ssl=true",
            "jdbc:postgresql:x?ssl=true");
  }

  @Test
  void embeddedDatabaseRunsUntilClosedAndWritesNothingToStdout() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ScratchDatabase scratch;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      scratch = ScratchDatabase.embedded();
      try (Connection c = scratch.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
        rs.next();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(130000);
      }
      scratch.close();
    } finally {
      System.setOut(stdout);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(scratch.password()).isNull();
    assertThatThrownBy(scratch::connect).isInstanceOf(SQLException.class);
  }

  private static boolean databaseExists(String name) throws SQLException {
    try (Connection admin = PG.admin().connect();
        PreparedStatement ps =
            admin.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }
}
