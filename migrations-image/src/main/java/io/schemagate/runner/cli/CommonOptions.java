package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.BundleConfig;
import io.schemagate.runner.engine.DatabaseConnector;
import io.schemagate.runner.engine.DurationText;
import io.schemagate.runner.engine.Placeholders;
import io.schemagate.runner.engine.RunnerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command accepts (DESIGN.md, "options"); environment variables fill the gaps. */
public final class CommonOptions {
  @Option(names = "--url", description = "JDBC URL (or env SCHEMAGATE_URL)")
  String url;

  @Option(names = "--user", description = "database user (or env SCHEMAGATE_USER)")
  String user;

  @Option(
      names = "--password-file",
      description = "file holding the password (or env SCHEMAGATE_PASSWORD)")
  Path passwordFile;

  @Option(
      names = "--password",
      hidden = true,
      description = "refused: a password on the command line leaks into process lists")
  String passwordArgument;

  @Option(
      names = "--location",
      defaultValue = "/migrations",
      description = "migration files (default: ${DEFAULT-VALUE})")
  Path location;

  @Option(
      names = "--schemas",
      split = ",",
      description = "schemas the runner manages; the first holds the history table")
  List<String> schemas;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "what goes to stdout: text or json (default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--result-file", description = "also write the compact JSON result here")
  Path resultFile;

  @Option(
      names = "--lock-timeout",
      defaultValue = "10s",
      description =
          "lock_timeout for transactional migration statements (default: ${DEFAULT-VALUE})")
  String lockTimeout;

  @Option(
      names = "--lock-wait",
      defaultValue = "10m",
      description =
          "how long to wait for another runner on the same database (default: ${DEFAULT-VALUE})")
  String lockWait;

  @Option(
      names = "--connect-timeout",
      defaultValue = "60s",
      description = "how long to retry an unreachable database (default: ${DEFAULT-VALUE})")
  String connectTimeout;

  @Option(
      names = "--placeholder",
      description = "Flyway placeholder K=V; $${...} replacement is off unless one is given")
  Map<String, String> placeholders;

  boolean json() {
    return "json".equals(output);
  }

  /** Checks the options that need no database; called before anything else happens. */
  void check() {
    if (passwordArgument != null) {
      throw new RunnerException(
          Reason.ConfigurationInvalid,
          "--password is not accepted (it would show in process lists); use the environment"
              + " variable SCHEMAGATE_PASSWORD or --password-file");
    }
    if (!output.equals("text") && !output.equals("json")) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, "--output must be text or json, not '" + output + "'");
    }
  }

  Duration duration(String name, String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new RunnerException(Reason.ConfigurationInvalid, name + ": " + e.getMessage());
    }
  }

  String password(Map<String, String> env) {
    if (passwordFile != null) {
      try {
        return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new RunnerException(
            Reason.ConfigurationInvalid, "cannot read --password-file " + passwordFile);
      }
    }
    return env.get("SCHEMAGATE_PASSWORD");
  }

  /** The database to use: {@code --url}, else {@code SCHEMAGATE_URL}. */
  DatabaseConnector connector(RunnerContext ctx) {
    return new DatabaseConnector(
        url != null ? url : ctx.env().get("SCHEMAGATE_URL"),
        user != null ? user : ctx.env().get("SCHEMAGATE_USER"),
        password(ctx.env()),
        duration("--connect-timeout", connectTimeout),
        ctx.progress(),
        ctx.canceller());
  }

  RunnerSettings settings() {
    BundleConfig bundle = BundleConfig.read(location);
    Map<String, String> merged = new LinkedHashMap<>(bundle.placeholders());
    if (placeholders != null) {
      merged.putAll(placeholders);
    }
    List<String> managed =
        schemas == null
            ? List.of()
            : schemas.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new RunnerSettings(
        location,
        managed,
        bundle.historyTable() != null
            ? bundle.historyTable()
            : RunnerSettings.DEFAULT_HISTORY_TABLE,
        duration("--lock-timeout", lockTimeout),
        duration("--lock-wait", lockWait),
        new Placeholders(merged),
        bundle.outOfOrder());
  }
}
