package io.schemagate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Times psql, Alembic, stock Flyway and the schemagate runner as whole processes on one PostgreSQL
 * server, each run on a fresh database, and prints the ratios against the targets.
 */
public final class MigrationBench {

  private final BenchOptions options;
  private final Path logs;

  private MigrationBench(BenchOptions options) {
    this.options = options;
    this.logs = options.workDir().resolve("logs");
  }

  /** Exit 0 whatever the ratios; 1 when a tool fails to migrate correctly; 2 on bad options. */
  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      new MigrationBench(options).run();
    } catch (ToolFailedException e) {
      System.err.println("bench: a tool failed: " + e.getMessage());
      System.exit(1);
    } catch (IllegalStateException | UncheckedIOException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  private void run() {
    TempFiles.deleteRecursively(options.workDir());
    createDirectories(logs);
    String date = MachineDescription.dateUtc();
    String loadAtStart = MachineDescription.loadAverage();

    Jdk primary =
        Jdk.at(options.primaryJdk())
            .orElseThrow(() -> new IllegalStateException("no java in " + options.primaryJdk()));
    Optional<Jdk> extra =
        Optional.ofNullable(options.extraJdk())
            .flatMap(Jdk::at)
            .filter(jdk -> jdk.major() != primary.major());
    List<Jdk> jdks = new ArrayList<>(List.of(primary));
    extra.ifPresent(jdks::add);

    progress("generating " + options.migrations() + " migrations in " + options.workDir());
    Path small = options.workDir().resolve("m" + options.migrations());
    FlywayFolder flywayFiles =
        FlywayFolder.write(small.resolve("flyway"), options.migrations(), true);
    AlembicProject alembicProject =
        AlembicProject.write(small.resolve("alembic"), options.migrations());
    Path psqlScript = PsqlScript.write(small.resolve("apply-all.sql"), flywayFiles);

    Optional<String> alembicVersion = AlembicInstallation.version(options.python());
    Optional<String> runnerUnavailable = RunnerJar.whyUnavailable(options.runnerJar());
    String flywayVersion = flywayVersion();
    String stockFlywayClassPath = stockFlywayClassPath();

    try (PostgresServer server = startServer()) {
      DatabaseAdmin admin = new DatabaseAdmin(server);
      List<String> notes = new ArrayList<>();

      List<MigrationTool> tools = new ArrayList<>();
      Optional<MigrationTool> psql = server.psql().map(path -> new PsqlTool(path, psqlScript));
      if (psql.isEmpty()) {
        notes.add("psql floor skipped: no psql found");
      }
      psql.ifPresent(tools::add);
      Optional<MigrationTool> alembic =
          alembicVersion.map(version -> new AlembicTool(options.python(), version, alembicProject));
      if (alembic.isEmpty()) {
        notes.add(
            "Alembic skipped: "
                + options.python()
                + " cannot import alembic and psycopg2; install them with: "
                + AlembicInstallation.INSTALL_HINT);
      }
      alembic.ifPresent(tools::add);
      List<MigrationTool> stockFlyways = new ArrayList<>();
      for (Jdk jdk : jdks) {
        stockFlyways.add(
            new StockFlywayTool(
                jdk, List.of(), stockFlywayClassPath, flywayVersion, flywayFiles.dir()));
      }
      if (!options.runnerJvmArgs().isEmpty()) {
        // the runner's flags on stock Flyway too: what the flags buy, apart from the runner's code
        // (less the runner's class-data archive, which only maps for the runner's jar)
        stockFlyways.add(
            new StockFlywayTool(
                primary,
                options.runnerJvmArgs().stream()
                    .filter(a -> !a.startsWith("-XX:SharedArchiveFile"))
                    .toList(),
                stockFlywayClassPath,
                flywayVersion,
                flywayFiles.dir()));
      }
      tools.addAll(stockFlyways);
      List<MigrationTool> runners = new ArrayList<>();
      if (runnerUnavailable.isEmpty()) {
        // first the runner with the flags under test: the targets are read against it
        for (Jdk jdk : jdks) {
          runners.add(
              new RunnerTool(jdk, options.runnerJar(), options.runnerJvmArgs(), flywayFiles.dir()));
        }
        if (!options.runnerJvmArgs().isEmpty()) {
          // and without them, in the same rounds, so the flags' effect is measured, not guessed
          runners.add(new RunnerTool(primary, options.runnerJar(), List.of(), flywayFiles.dir()));
        }
      } else {
        notes.add("schemagate runner skipped: " + runnerUnavailable.get());
      }
      tools.addAll(runners);
      notes.forEach(note -> progress("NOTE: " + note));

      Map<String, Invocation> jvmStarts = jvmStartInvocations(jdks);
      Map<String, Samples> jvmStartSamples = new LinkedHashMap<>();
      jvmStarts.keySet().forEach(label -> jvmStartSamples.put(label, new Samples()));
      List<ToolSamples> main = new ArrayList<>();
      tools.forEach(tool -> main.add(new ToolSamples(tool)));

      for (int warmup = 1; warmup <= options.warmups(); warmup++) {
        progress("warm-up " + warmup + "/" + options.warmups());
        runRound(admin, main, jvmStarts, null, options.migrations(), 0);
      }
      for (int run = 1; run <= options.runs(); run++) {
        progress("run " + run + "/" + options.runs());
        runRound(admin, main, jvmStarts, jvmStartSamples, options.migrations(), run);
      }

      List<ToolSamples> largeNoop = new ArrayList<>();
      if (options.noopMigrations() > 0) {
        largeNoop = measureLargeNoop(admin, alembic, stockFlyways, runners);
      }

      BenchReport report =
          new BenchReport(
              jvmStartSamples, main, largeNoop, options.migrations(), options.noopMigrations());
      describeEnvironment(report, server, admin, jdks, alembicVersion, flywayVersion);
      report.environment(
          "load average (1/5/15 min): "
              + loadAtStart
              + " at start, "
              + MachineDescription.loadAverage()
              + " at end");
      notes.forEach(report::note);
      addTargets(
          report, main, largeNoop, options.noopMigrations(), psql, alembic, stockFlyways, runners);
      String markdown = report.markdown(date);
      System.out.println();
      System.out.println(markdown);
      writeResults(markdown);
      progress("results written to " + options.resultsFile());
    }
  }

  private PostgresServer startServer() {
    Optional<Path> debian = DebianPostgresServer.findBinDir();
    switch (options.postgres()) {
      case "debian" -> {
        return DebianPostgresServer.start(
            debian.orElseThrow(
                () -> new IllegalStateException("no Debian PostgreSQL under /usr/lib/postgresql")));
      }
      case "embedded" -> {
        return EmbeddedPostgresServer.start();
      }
      default -> {
        // Debian's server matches the PostgreSQL 15 the anchors were measured on, and also
        // works as root, where zonky's initdb refuses to run.
        if (debian.isPresent()) {
          return DebianPostgresServer.start(debian.get());
        }
        progress("no Debian PostgreSQL found: using the embedded one");
        return EmbeddedPostgresServer.start();
      }
    }
  }

  /**
   * One measured round: every tool once on its own fresh database, apply then no-op; the order
   * rotates each round so slow drift of a noisy machine spreads over all tools.
   */
  private void runRound(
      DatabaseAdmin admin,
      List<ToolSamples> main,
      Map<String, Invocation> jvmStarts,
      Map<String, Samples> jvmStartSamples,
      int count,
      int round) {
    for (Map.Entry<String, Invocation> start : jvmStarts.entrySet()) {
      long elapsed = TimedProcess.run(start.getValue(), logs.resolve("jvm-start.log"));
      if (jvmStartSamples != null) {
        jvmStartSamples.get(start.getKey()).add(elapsed);
      }
    }
    List<ToolSamples> order = new ArrayList<>(main);
    Collections.rotate(order, round);
    for (ToolSamples samples : order) {
      MigrationTool tool = samples.tool();
      BenchDatabase database = admin.create(slug(tool.label()));
      try {
        long apply = timeAndCheck(tool, admin, database, count, "apply");
        Long noop = tool.hasNoop() ? timeAndCheck(tool, admin, database, count, "noop") : null;
        if (jvmStartSamples != null) {
          samples.apply().add(apply);
          if (noop != null) {
            samples.noop().add(noop);
          }
        }
      } finally {
        admin.drop(database);
      }
    }
  }

  /** The no-op with many applied migrations: apply once (timed, one run), then time no-ops. */
  private List<ToolSamples> measureLargeNoop(
      DatabaseAdmin admin,
      Optional<MigrationTool> alembic,
      List<MigrationTool> stockFlyways,
      List<MigrationTool> runners) {
    int count = options.noopMigrations();
    progress("generating " + count + " migrations for the large no-op");
    Path large = options.workDir().resolve("m" + count);
    FlywayFolder flywayFiles = FlywayFolder.write(large.resolve("flyway"), count, true);
    List<MigrationTool> tools = new ArrayList<>();
    // the runner is what the target is about; the others are the reference it is read against
    if (!runners.isEmpty()) {
      RunnerTool first = (RunnerTool) runners.get(0);
      tools.add(first.withLocation(flywayFiles.dir()));
    }
    if (alembic.isPresent()) {
      AlembicTool tool = (AlembicTool) alembic.get();
      tools.add(tool.withProject(AlembicProject.write(large.resolve("alembic"), count)));
    }
    if (!stockFlyways.isEmpty()) {
      tools.add(((StockFlywayTool) stockFlyways.get(0)).withLocation(flywayFiles.dir()));
    }
    List<ToolSamples> results = new ArrayList<>();
    for (MigrationTool tool : tools) {
      progress("large no-op: " + tool.label());
      ToolSamples samples = new ToolSamples(tool);
      BenchDatabase database = admin.create("large_" + slug(tool.label()));
      try {
        samples.apply().add(timeAndCheck(tool, admin, database, count, "apply"));
        for (int warmup = 0; warmup < options.warmups(); warmup++) {
          timeAndCheck(tool, admin, database, count, "noop");
        }
        for (int run = 0; run < options.runs(); run++) {
          samples.noop().add(timeAndCheck(tool, admin, database, count, "noop"));
        }
      } finally {
        admin.drop(database);
      }
      results.add(samples);
    }
    return results;
  }

  private long timeAndCheck(
      MigrationTool tool, DatabaseAdmin admin, BenchDatabase database, int count, String phase) {
    Path log = logs.resolve(slug(tool.label()) + "-" + phase + ".log");
    long elapsed = TimedProcess.run(tool.migrate(database), log);
    try {
      tool.checkApplied(admin, database, count);
    } catch (IllegalStateException e) {
      throw new ToolFailedException(
          tool.label() + " " + phase + " left a wrong database: " + e.getMessage(), e);
    }
    return elapsed;
  }

  private Map<String, Invocation> jvmStartInvocations(List<Jdk> jdks) {
    Map<String, Invocation> starts = new LinkedHashMap<>();
    String classes = options.benchClasses().toString();
    for (Jdk jdk : jdks) {
      starts.put(
          jdk.label(),
          new Invocation(
              List.of(jdk.java().toString(), "-cp", classes, HelloWorld.class.getName()),
              Map.of(),
              options.workDir()));
    }
    if (!options.runnerJvmArgs().isEmpty()) {
      Jdk primary = jdks.get(0);
      List<String> command = new ArrayList<>();
      command.add(primary.java().toString());
      command.addAll(options.runnerJvmArgs());
      command.addAll(List.of("-cp", classes, HelloWorld.class.getName()));
      starts.put(
          primary.label() + " `" + String.join(" ", options.runnerJvmArgs()) + "`",
          new Invocation(command, Map.of(), options.workDir()));
    }
    return starts;
  }

  private void describeEnvironment(
      BenchReport report,
      PostgresServer server,
      DatabaseAdmin admin,
      List<Jdk> jdks,
      Optional<String> alembicVersion,
      String flywayVersion) {
    report.environment(
        "machine: "
            + MachineDescription.cores()
            + " cores (nproc), "
            + MachineDescription.cpuModel()
            + ", "
            + MachineDescription.memory()
            + " memory");
    for (Jdk jdk : jdks) {
      report.environment(jdk.label() + ": " + jdk.versionLine() + " (" + jdk.java() + ")");
    }
    report.environment("PostgreSQL: " + admin.serverVersion());
    report.environment(
        "server: "
            + server.description()
            + "; fsync "
            + admin.queryString("postgres", "SHOW fsync")
            + ", synchronous_commit "
            + admin.queryString("postgres", "SHOW synchronous_commit"));
    report.environment(
        "Alembic: "
            + alembicVersion.map(version -> version + " with " + options.python()).orElse("absent")
            + "; Flyway: "
            + flywayVersion);
    if (!options.runnerJvmArgs().isEmpty()) {
      report.environment("runner JVM flags: `" + String.join(" ", options.runnerJvmArgs()) + "`");
    }
    report.environment(
        "method: "
            + options.migrations()
            + " generated migrations; each tool a whole process on a fresh database per run;"
            + " median of "
            + options.runs()
            + " runs after "
            + options.warmups()
            + " warm-up; tool order rotated each run; correctness checked after every run");
  }

  private static void addTargets(
      BenchReport report,
      List<ToolSamples> main,
      List<ToolSamples> largeNoop,
      int noopMigrations,
      Optional<MigrationTool> psql,
      Optional<MigrationTool> alembic,
      List<MigrationTool> stockFlyways,
      List<MigrationTool> runners) {
    ToolSamples runner = find(main, runners.isEmpty() ? null : runners.get(0));
    ToolSamples alembicSamples = find(main, alembic.orElse(null));
    ToolSamples flyway = find(main, stockFlyways.isEmpty() ? null : stockFlyways.get(0));
    ToolSamples psqlSamples = find(main, psql.orElse(null));
    report.target(
        new TargetVerdict(
            "runner / Alembic, apply", ratio(runner, alembicSamples, true), "×", 1.0));
    report.target(
        new TargetVerdict(
            "runner / Alembic, no-op", ratio(runner, alembicSamples, false), "×", 1.5));
    Double largeRunnerNoop =
        largeNoop.stream()
            .filter(samples -> samples.tool() instanceof RunnerTool)
            .findFirst()
            .map(samples -> samples.noop().medianSeconds())
            .orElse(null);
    if (noopMigrations > 0) {
      report.target(
          new TargetVerdict(
              "runner no-op with " + noopMigrations + " applied", largeRunnerNoop, " s", 2.0));
    }
    report.target(
        new TargetVerdict("runner / stock Flyway, apply", ratio(runner, flyway, true), "×", null));
    report.target(
        new TargetVerdict("runner / stock Flyway, no-op", ratio(runner, flyway, false), "×", null));
    report.target(
        new TargetVerdict(
            "stock Flyway / Alembic, apply", ratio(flyway, alembicSamples, true), "×", null));
    report.target(
        new TargetVerdict(
            "Alembic / psql, apply", ratio(alembicSamples, psqlSamples, true), "×", null));
  }

  private static ToolSamples find(List<ToolSamples> all, MigrationTool tool) {
    return all.stream().filter(samples -> samples.tool() == tool).findFirst().orElse(null);
  }

  private static Double ratio(ToolSamples numerator, ToolSamples denominator, boolean apply) {
    if (numerator == null || denominator == null) {
      return null;
    }
    Samples top = apply ? numerator.apply() : numerator.noop();
    Samples bottom = apply ? denominator.apply() : denominator.noop();
    if (top.isEmpty() || bottom.isEmpty()) {
      return null;
    }
    return top.medianSeconds() / bottom.medianSeconds();
  }

  private String stockFlywayClassPath() {
    Path lib = options.benchClasses().resolveSibling("stock-flyway-lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(
          lib + " is missing: build the bench with mvn -f bench/pom.xml package");
    }
    return options.benchClasses() + java.io.File.pathSeparator + lib.resolve("*");
  }

  private static String flywayVersion() {
    try (InputStream in =
        MigrationBench.class.getResourceAsStream(
            "/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void writeResults(String markdown) {
    try {
      createDirectories(options.resultsFile().getParent());
      Files.writeString(options.resultsFile(), markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String slug(String label) {
    return label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  private static void progress(String message) {
    System.err.println("bench: " + message);
  }
}
