package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.MigrationFileName;
import io.schemagate.runner.engine.MigrationScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code new DESCRIPTION}: scaffold the next V and U files. */
final class NewCommand extends RunnerCommand {
  /** Versions this large are timestamps (yyyyMMddHHmmss), and the next one is "now". */
  private static final long TIMESTAMP_VERSIONS = 100_000_000_000L;

  List<String> words;

  NewCommand(RunnerContext ctx) {
    super(ctx);
  }

  @Override
  String name() {
    return "new";
  }

  @Override
  String summary() {
    return "Write the next V<n>__<slug>.sql and its U<n>__<slug>.sql.";
  }

  @Override
  int positionals() {
    return -1;
  }

  @Override
  String positionalLabel() {
    return "DESCRIPTION...";
  }

  @Override
  void bind(ParsedArguments args) throws UsageException {
    super.bind(args);
    words = args.positionals();
    if (words.isEmpty()) {
      throw new UsageException("new needs a DESCRIPTION of the migration");
    }
  }

  @Override
  void run(RunResult result) throws IOException {
    Path location = options.location;
    Files.createDirectories(location);
    MigrationBundle bundle = MigrationBundle.read(location);
    String description = String.join(" ", words).trim();
    String slug = MigrationFileName.slug(description);
    String version = nextVersion(bundle.head());
    Path v = location.resolve("V" + version + "__" + slug + ".sql");
    Path u = location.resolve("U" + version + "__" + slug + ".sql");
    if (Files.exists(v) || Files.exists(u)) {
      throw new RunnerException(Reason.ConfigurationInvalid, v.getFileName() + " already exists");
    }
    Files.writeString(
        v,
        "-- V"
            + version
            + ": "
            + description
            + "\n"
            + "-- Runs in one transaction unless it holds a statement that cannot (e.g. CREATE INDEX\n"
            + "-- CONCURRENTLY): such statements go in a migration of their own.\n"
            + "-- Use TIMESTAMPTZ, not TIMESTAMP. Destructive statements (DROP TABLE, DROP COLUMN,\n"
            + "-- TRUNCATE) need the comment: -- schemagate:allow-destructive\n\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        u,
        "-- U"
            + version
            + ": undo \""
            + description
            + "\"; must leave the schema exactly as it was before V"
            + version
            + "\n\n",
        StandardCharsets.UTF_8);
    result.targetRevision(version);
    result.headRevision(version);
    result.put("files", List.of(v.toString(), u.toString()));
  }

  static String nextVersion(MigrationScript head) {
    if (head == null) {
      return "1";
    }
    String major = head.version().getVersion().split("\\.")[0];
    long n = Long.parseLong(major);
    if (n >= TIMESTAMP_VERSIONS) {
      String now =
          ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
      return Long.parseLong(now) > n ? now : Long.toString(n + 1);
    }
    return Long.toString(n + 1);
  }

  @Override
  void printText(RunResult result) {
    Object files = result.extra().get("files");
    if (files instanceof List<?> list) {
      list.forEach(f -> ctx.out().println("created " + f));
    }
  }
}
