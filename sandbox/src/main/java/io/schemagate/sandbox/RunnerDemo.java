package io.schemagate.sandbox;

import io.schemagate.runner.cli.RunnerCli;
import io.schemagate.runner.cli.RunnerContext;
import io.schemagate.runner.engine.StatementCanceller;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * {@code make demo}: lints, verifies, migrates and inspects a migration bundle with the runner's
 * own command line, against a throwaway embedded PostgreSQL.
 */
public final class RunnerDemo {
  /** The database the demo migrates, named after the example bundle's service. */
  private static final String DATABASE = "accounts";

  private static final String DEFAULT_BUNDLE = "examples/bundle/sql";

  /** One runner command of the demo, with the line that says what it shows. */
  private record Step(String command, String purpose) {}

  private static final List<Step> STEPS =
      List.of(
          new Step("lint", "static checks of the SQL files; no database involved"),
          new Step(
              "verify",
              "migrate, undo to base, migrate again on a scratch database; catalogs must match"),
          new Step("migrate", "apply every pending migration to the '" + DATABASE + "' database"),
          new Step("info", "what the history table says now"));

  private RunnerDemo() {}

  /**
   * Runs the demo on the bundle folder given as the only argument (default {@value
   * #DEFAULT_BUNDLE}); exits with the first failing command's exit code, or 0.
   */
  public static void main(String[] args) throws IOException, SQLException {
    Path bundle = Path.of(args.length > 0 ? args[0] : DEFAULT_BUNDLE).toAbsolutePath().normalize();
    if (!Files.isDirectory(bundle)) {
      System.err.println("no migration bundle at " + bundle);
      System.exit(2);
    }
    long start = System.nanoTime();
    header("Starting a throwaway PostgreSQL (embedded, deleted on exit)");
    int exitCode;
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      createDatabase(server);
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
      System.out.println("database: " + url);
      exitCode = runSteps(environment(url), bundle);
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    header(
        exitCode == 0
            ? "Demo finished: " + STEPS.size() + " commands succeeded in " + seconds + " s"
            : "Demo failed (exit code " + exitCode + "); see the error above");
    System.exit(exitCode);
  }

  /** Runs each step in order and stops at the first failure, returning its exit code. */
  private static int runSteps(Map<String, String> env, Path bundle) {
    int n = 0;
    for (Step step : STEPS) {
      n++;
      header(
          n + "/" + STEPS.size() + " schemagate-runner " + step.command() + ": " + step.purpose());
      int code =
          RunnerCli.execute(
              new RunnerContext(env, System.out, System.err, new StatementCanceller()),
              step.command(),
              "--location",
              bundle.toString());
      if (code != 0) {
        System.err.println(step.command() + " failed with exit code " + code);
        return code;
      }
    }
    return 0;
  }

  /**
   * What a runner Job's pod would get from the operator. The embedded server trusts local
   * connections, so the password is empty.
   */
  private static Map<String, String> environment(String url) {
    return Map.of(
        "SCHEMAGATE_URL", url,
        "SCHEMAGATE_USER", "postgres",
        "SCHEMAGATE_PASSWORD", "");
  }

  private static void createDatabase(EmbeddedPostgres server) throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    }
  }

  private static void header(String title) {
    System.out.println();
    System.out.println("==> " + title);
    System.out.flush();
  }
}
