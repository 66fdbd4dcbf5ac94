package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.BundleConfig;
import io.schemagate.runner.engine.DatabaseConnector;
import io.schemagate.runner.engine.DurationText;
import io.schemagate.runner.engine.Placeholders;
import io.schemagate.runner.engine.RunnerSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every command accepts (DESIGN.md, "options"); environment variables fill the gaps. */
public final class CommonOptions {
  static final List<OptionSpec> SPECS =
      List.of(
          OptionSpec.value("--url", "JDBC_URL", "database (or env SCHEMAGATE_URL)"),
          OptionSpec.value("--user", "NAME", "database user (or env SCHEMAGATE_USER)"),
          OptionSpec.value(
              "--password-file", "PATH", "file holding the password (or env SCHEMAGATE_PASSWORD)"),
          OptionSpec.value("--password", "VALUE", "refused: it would show in process lists")
              .asHidden(),
          OptionSpec.value("--location", "DIR", "migration files").withDefault("/migrations"),
          OptionSpec.value(
              "--schemas", "a,b", "schemas the runner manages; the first holds the history table"),
          OptionSpec.value("--output", "text|json", "what goes to stdout").withDefault("text"),
          OptionSpec.value("--result-file", "PATH", "also write the compact JSON result there"),
          OptionSpec.value(
                  "--lock-timeout", "DUR", "lock_timeout for transactional migration statements")
              .withDefault("10s"),
          OptionSpec.value("--lock-wait", "DUR", "how long to wait while another runner migrates")
              .withDefault("10m"),
          OptionSpec.value(
                  "--connect-timeout", "DUR", "how long to keep retrying an unreachable database")
              .withDefault("60s"),
          OptionSpec.value(
                  "--placeholder",
                  "K=V",
                  "Flyway placeholder; ${...} replacement is off unless one is given")
              .asRepeatable());

  final String url;
  final String user;
  final Path passwordFile;
  final String passwordArgument;
  final Path location;
  final List<String> schemas;
  final String output;
  final Path resultFile;
  final String lockTimeout;
  final String lockWait;
  final String connectTimeout;
  final List<String> placeholders;

  CommonOptions(ParsedArguments args) {
    url = args.value("--url");
    user = args.value("--user");
    passwordFile = path(args.value("--password-file"));
    passwordArgument = args.value("--password");
    location = path(args.value("--location"));
    String schemaList = args.value("--schemas");
    schemas =
        schemaList == null
            ? List.of()
            : Arrays.stream(schemaList.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    output = args.value("--output");
    resultFile = path(args.value("--result-file"));
    lockTimeout = args.value("--lock-timeout");
    lockWait = args.value("--lock-wait");
    connectTimeout = args.value("--connect-timeout");
    placeholders = args.values("--placeholder");
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }

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
    if (resultFile != null) {
      checkWritable(resultFile);
    }
  }

  /**
   * Opens the result file for writing, without changing it, before any work: a result that could
   * not be written at the end would leave the operator with nothing to read after a real change.
   */
  private static void checkWritable(Path file) {
    try (OutputStream probe =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      // Opened; the result is written once the command is over.
    } catch (IOException | UnsupportedOperationException e) {
      throw new RunnerException(
          Reason.ConfigurationInvalid,
          "--result-file " + file + " cannot be written (" + e + "); nothing was done");
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
    for (String p : placeholders) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new RunnerException(
            Reason.ConfigurationInvalid, "--placeholder takes NAME=VALUE, not '" + p + "'");
      }
      merged.put(p.substring(0, eq), p.substring(eq + 1));
    }
    List<String> managed = schemas;
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
