package io.schemagate.bench;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/** Command-line options of the bench, with defaults that fit a 2-core machine in ~10 minutes. */
record BenchOptions(
    int runs,
    int warmups,
    int migrations,
    int noopMigrations,
    String postgres,
    Path python,
    Path runnerJar,
    List<String> runnerJvmArgs,
    Path primaryJdk,
    Path extraJdk,
    Path workDir,
    Path resultsFile,
    Path benchClasses) {

  static final String USAGE =
      """
      usage: MigrationBench [options]
        --runs N                 measured runs per tool, median reported (default 5)
        --warmups N              unmeasured runs per tool first (default 1)
        --migrations N           migrations in the apply test (default 200)
        --noop-migrations N      applied migrations in the large no-op test (default 1000, 0 = skip)
        --postgres MODE          auto | debian | embedded (default auto: Debian's if installed)
        --python PATH            python with alembic and psycopg2 (default /usr/bin/python3)
        --runner-jar PATH        default migrations-image/target/schemagate-runner.jar
        --runner-jvm-args "..."  JVM flags for the runner (also -Dbench.runnerJvmArgs)
        --jdk HOME               JDK for stock Flyway and the runner (default: the bench's own)
        --extra-jdk HOME|none    a second JDK to compare (default /usr/lib/jvm/temurin-25-jdk-amd64)
        --work-dir DIR           generated migrations and logs (default bench/target/bench-work)
        --results FILE           markdown results (default bench/target/bench-results.md)
      """;

  static BenchOptions parse(String[] args) {
    Path benchClasses = locateBenchClasses();
    // bench/target/classes -> the repository root
    Path repoRoot = benchClasses.getParent().getParent().getParent();
    int runs = 5;
    int warmups = 1;
    int migrations = 200;
    int noopMigrations = 1000;
    String postgres = "auto";
    Path python = Paths.get("/usr/bin/python3");
    Path runnerJar = repoRoot.resolve("migrations-image/target/schemagate-runner.jar");
    String runnerJvmArgs = System.getProperty("bench.runnerJvmArgs", "");
    Path primaryJdk = Paths.get(System.getProperty("java.home"));
    Path extraJdk = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
    Path workDir = repoRoot.resolve("bench/target/bench-work");
    Path resultsFile = repoRoot.resolve("bench/target/bench-results.md");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        System.out.print(USAGE);
        System.exit(0);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (option) {
        case "--runs" -> runs = positive(option, value);
        case "--warmups" -> warmups = nonNegative(option, value);
        case "--migrations" -> migrations = positive(option, value);
        case "--noop-migrations" -> noopMigrations = nonNegative(option, value);
        case "--postgres" -> postgres = oneOf(option, value, "auto", "debian", "embedded");
        case "--python" -> python = Paths.get(value);
        case "--runner-jar" -> runnerJar = Paths.get(value);
        case "--runner-jvm-args" -> runnerJvmArgs = value;
        case "--jdk" -> primaryJdk = Paths.get(value);
        case "--extra-jdk" -> extraJdk = value.equals("none") ? null : Paths.get(value);
        case "--work-dir" -> workDir = Paths.get(value);
        case "--results" -> resultsFile = Paths.get(value);
        default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
      }
    }
    List<String> jvmArgs =
        runnerJvmArgs.isBlank() ? List.of() : Arrays.asList(runnerJvmArgs.trim().split("\\s+"));
    return new BenchOptions(
        runs,
        warmups,
        migrations,
        noopMigrations,
        postgres,
        python,
        runnerJar.toAbsolutePath(),
        jvmArgs,
        primaryJdk,
        extraJdk,
        workDir.toAbsolutePath(),
        resultsFile.toAbsolutePath(),
        benchClasses);
  }

  private static Path locateBenchClasses() {
    try {
      return Paths.get(
          MigrationBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int positive(String option, String value) {
    int number = nonNegative(option, value);
    if (number == 0) {
      throw new IllegalArgumentException(option + " must be at least 1");
    }
    return number;
  }

  private static int nonNegative(String option, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number < 0) {
        throw new IllegalArgumentException(option + " must not be negative");
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value, e);
    }
  }

  private static String oneOf(String option, String value, String... allowed) {
    if (!Arrays.asList(allowed).contains(value)) {
      throw new IllegalArgumentException(
          option + " must be one of " + String.join(", ", allowed) + ", got " + value);
    }
    return value;
  }
}
