package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code make sandbox} / {@code make demo} as a user runs them. */
class SandboxCommandTest {
  static final String JAR = "../migrations-image/target/schemagate-runner.jar";

  /**
   * {@code make sandbox} as a user runs it, minus its build step (this test runs inside the build,
   * after the classes and the class-path file exist): the whole of stdout is one JSON document.
   */
  @Test
  void makeSandboxPrintsOnlyTheJsonDocumentOnStdout(@TempDir Path dir) throws Exception {
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    Path metrics = dir.resolve("scrape/metrics.txt");
    Process process =
        makeSandbox(
                stdout,
                stderr,
                // The app before its SchemaMigration, so that it is held for want of one.
                "--apply examples/00-namespace.yaml --apply examples/40-gated-app.yaml"
                    + " --apply examples/20-credentials.yaml --apply examples/30-schemamigration.yaml"
                    + " --output json --metrics-out "
                    + metrics
                    + " --bundle registry.example.com/accounts-migrations:1.0.0=examples/bundle/sql")
            .start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("make sandbox did not end within 3 minutes");
    }
    String out = Files.readString(stdout);
    String err = Files.readString(stderr);

    assertThat(process.exitValue()).as(err).isZero();
    JsonNode doc =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(out);
    assertThat(out).startsWith("{");
    JsonNode sm = doc.path("schemaMigrations").get(0);
    assertThat(sm.path("kind").asText()).isEqualTo("SchemaMigration");
    assertThat(sm.path("status").path("currentRevision").asText()).isEqualTo("7");
    assertThat(sm.path("status").path("gatedDeployments")).isEmpty();
    JsonNode app = doc.path("deployments").get(0);
    assertThat(app.path("metadata").path("name").asText()).isEqualTo("orders-api");
    assertThat(app.path("metadata").path("labels").path("schemagate.io/gate").asText())
        .isEqualTo("accounts");
    assertThat(app.path("spec").path("paused").asBoolean()).as("released").isFalse();
    assertThat(app.path("metadata").path("annotations").has("schemagate.io/paused-by")).isFalse();
    assertThat(err)
        .contains("Warning MigrationNotFound shop/orders-api: held: SchemaMigration shop/accounts")
        .contains("MigrationSucceeded")
        .contains("Normal DeploymentReleased shop/orders-api: released: ");
    assertThat(err.indexOf("MigrationNotFound"))
        .as("held before the migration ran")
        .isLessThan(err.indexOf("MigrationStarted"));
    assertThat(out + err).doesNotContain("CHANGE-ME-placeholder-not-a-real-password");
    // The operator's final scrape: the run counted once, the revision, nothing held any more.
    String scrape = Files.readString(metrics);
    assertThat(scrape)
        .contains(
            "schemagate_migration_runs_total{name=\"accounts\",namespace=\"shop\",reason=\"AtHead\","
                + "result=\"succeeded\"} 1.0\n")
        .contains(
            "schemagate_migration_revision_info{name=\"accounts\",namespace=\"shop\",revision=\"7\"} 1.0")
        .contains("schemagate_migration_ready{name=\"accounts\",namespace=\"shop\"} 1.0")
        .contains("schemagate_gated_deployments{name=\"accounts\",namespace=\"shop\"} 0.0")
        .contains("operator_sdk_reconciliations_started_total")
        .doesNotContain("CHANGE-ME-placeholder-not-a-real-password");
    assertThat(err).contains("wrote the operator's final /metrics scrape to " + metrics);
  }

  @Test
  void resourcesThatCannotBeReadAreReportedAndTheOthersReachHead(@TempDir Path dir)
      throws Exception {
    Path manifest = dir.resolve("three.yaml");
    Files.writeString(
        manifest,
        resource("typo", "  targetRevison: \"7\"\n")
            + "---\n"
            + resource("wrong-type", "  retry: {limit: three}\n")
            + "---\n"
            + resource("wrong-case", "  lint: enforce\n"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sandbox.run(
            Sandbox.Options.parse(
                new String[] {
                  "--apply",
                  manifest.toString(),
                  "--bundle",
                  "registry.example.com/accounts-migrations:1.0.0=../examples/bundle/sql",
                  "--runner-jar",
                  JAR
                }),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String table = out.toString(StandardCharsets.UTF_8);
    String events = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(events).isEqualTo(1);
    assertThat(table)
        .containsPattern("typo +True +7 +7 .*AtHead")
        .containsPattern("wrong-type +False .*InvalidSpec")
        .containsPattern("wrong-case +False .*InvalidSpec");
    assertThat(events)
        .contains("Warning UnknownFields shop/typo: spec.targetRevison")
        .contains("Warning InvalidSpec shop/wrong-type: spec.retry.limit: must be an integer")
        .contains(
            "Warning InvalidSpec shop/wrong-case: spec.lint: must be one of Enforce, Warn, Off")
        .doesNotContain("Exception");
  }

  /**
   * {@code make sandbox ARGS="args"} from the repository's root, as a user runs it from a shell
   * (not from inside {@code make test}, whose make would report directories), minus its build step
   * (the tests run inside the build, after the classes and the class-path file exist).
   */
  static ProcessBuilder makeSandbox(Path stdout, Path stderr, String args) {
    ProcessBuilder make =
        new ProcessBuilder(
                "make",
                "sandbox",
                "SANDBOX_BUILD=",
                "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                "ARGS=" + args)
            .directory(Path.of("..").toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    make.environment().keySet().removeAll(List.of("MAKEFLAGS", "MAKELEVEL", "MFLAGS"));
    return make;
  }

  static String resource(String name, String specExtra) {
    return """
        apiVersion: schemagate.io/v1alpha1
        kind: SchemaMigration
        metadata: {name: %s, namespace: shop}
        spec:
          database:
            url: jdbc:postgresql://%s-db:5432/%s
            credentialsSecret: {name: accounts-db}
          bundle: {image: "registry.example.com/accounts-migrations:1.0.0"}
        %s---
        apiVersion: v1
        kind: Secret
        metadata: {name: accounts-db, namespace: shop}
        stringData: {username: migrator, password: s3cret}
        """
        .formatted(name, name, name.replace('-', '_'), specExtra);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "broken YAML|spec: [unclosed|document 2: not valid YAML at line",
        "empty file||no Kubernetes objects in this file",
        "unknown version|apiVersion: schemagate.io/v1\\nkind: SchemaMigration\\nmetadata: {name: a}"
            + "|document 2: apiVersion schemagate.io/v1 is not served;"
            + " SchemaMigration is schemagate.io/v1alpha1",
        "unknown kind|apiVersion: schemagate.io/v1alpha1\\nkind: SchemaMigrations\\nmetadata: {name: a}"
            + "|document 2: schemagate.io/v1alpha1 has no kind SchemaMigrations",
        "no name|apiVersion: schemagate.io/v1alpha1\\nkind: SchemaMigration\\nmetadata: {}"
            + "|document 2 (SchemaMigration): metadata.name is required",
        "no kind|apiVersion: v1\\nmetadata: {name: a}|document 2: apiVersion and kind are required",
        "not an object|just words|document 2: not a Kubernetes object",
        "wrong type in a known kind|apiVersion: v1\\nkind: Secret\\nmetadata: {name: a}\\n"
            + "data: [1]|document 2 (Secret): data has a value of the wrong type"
      })
  void aMistakeInAManifestIsOneLineNamingFileAndDocumentAndExits2(
      String mistake, String secondDocument, String expected, @TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("app.yaml");
    String content =
        secondDocument == null
            ? ""
            : "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                + secondDocument.replace("\\n", "\n")
                + "\n";
    Files.writeString(manifest, content);

    assertFailsInOneLine(
        new String[] {"--apply", manifest.toString(), "--runner-jar", JAR},
        manifest + (secondDocument == null ? ": " : ", ") + expected);
  }

  @Test
  void aBundleWithoutItsFolderIsOneLineAndExits2() throws Exception {
    assertFailsInOneLine(
        new String[] {
          "--apply", "../examples", "--bundle", "registry.example.com/x:1", "--runner-jar", JAR
        },
        "sandbox: --bundle takes IMAGE=DIR[:DIR...], got: registry.example.com/x:1");
  }

  @Test
  void aBundleLayerThatIsNoFolderIsOneLineAndExits2() throws Exception {
    assertFailsInOneLine(
        new String[] {
          "--apply",
          "../examples",
          "--bundle",
          "registry.example.com/x:1=../examples/bundle/sql:../examples/no-such-folder",
          "--runner-jar",
          JAR
        },
        "sandbox: --bundle registry.example.com/x:1=../examples/bundle/sql:../examples/no-such-folder:"
            + " no folder "
            + Path.of("../examples/no-such-folder").toAbsolutePath().normalize());
  }

  /**
   * {@code make demo} as a user runs it (minus the build): examples/ and then
   * examples/roll-forward/, the 1.1.0 image served as the 1.0.0 folder with the roll-forward's over
   * it. The state after the first step is revision 7 with the app of 1.0.0 released; the
   * roll-forward holds the app of 1.1.0 until the migration reaches 8, then releases it.
   */
  @Test
  void makeDemoRunsTheExamplesThenTheRollForwardPrintingTheStateAfterEach(@TempDir Path dir)
      throws Exception {
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    ProcessBuilder make =
        new ProcessBuilder(
                "make",
                "demo",
                "SANDBOX_BUILD=",
                "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                "ARGS=--output json")
            .directory(Path.of("..").toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    make.environment().keySet().removeAll(List.of("MAKEFLAGS", "MAKELEVEL", "MFLAGS"));
    Process process = make.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("make demo did not end within 3 minutes");
    }
    String err = Files.readString(stderr);
    assertThat(process.exitValue()).as(err).isZero();
    List<JsonNode> states;
    try (var docs = new ObjectMapper().readerFor(JsonNode.class).readValues(stdout.toFile())) {
      states = docs.readAll().stream().map(JsonNode.class::cast).toList();
    }
    assertThat(states).as("one state per step").hasSize(2);
    assertDemoState(states.get(0), "1.0.0", "7", "registry.example.com/orders-api:1.0.0");
    assertDemoState(states.get(1), "1.1.0", "8", "registry.example.com/orders-api:1.1.0");

    Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
    String first = "sandbox: applied 6 objects from " + examples + "\n";
    String second = "sandbox: applied 2 objects from " + examples.resolve("roll-forward") + "\n";
    assertThat(err).contains(first, second);
    assertThat(err.indexOf(first)).as("the steps in order").isLessThan(err.indexOf(second));
    assertThat(err)
        .contains("sandbox: the state after --apply " + examples + ":")
        .contains("sandbox: the final state:")
        .contains("MigrationSucceeded shop/accounts: database at revision 7, 7 applied")
        .contains("MigrationSucceeded shop/accounts: database at revision 8, 1 applied");
    // Events stream from a watch beside the steps' own lines, so a step's first Event may come
    // before its "applied" line: their order is checked among the Events, which the watch
    // delivers in the order they were recorded.
    String held = "Normal DeploymentHeld shop/orders-api: held: SchemaMigration shop/accounts ";
    int releasedAt7 =
        err.indexOf("released: SchemaMigration shop/accounts is Ready at revision 7 (requires 7)");
    int releasedAt8 =
        err.indexOf("released: SchemaMigration shop/accounts is Ready at revision 8 (requires 8)");
    assertThat(err.indexOf(held)).as("held in the first step").isNotNegative();
    assertThat(releasedAt7).as("released at 7 after it was held").isGreaterThan(err.indexOf(held));
    int heldAgain = err.indexOf(held, releasedAt7);
    assertThat(heldAgain).as("held again in the roll-forward").isPositive();
    assertThat(heldAgain).as("held before it is released").isLessThan(releasedAt8);
    assertThat(Files.readString(stdout) + err)
        .doesNotContain("CHANGE-ME-placeholder-not-a-real-password");
  }

  /** One state of make demo: the SchemaMigration at {@code revision} and the app released. */
  private static void assertDemoState(
      JsonNode state, String bundleTag, String revision, String appImage) {
    JsonNode sm = state.path("schemaMigrations").get(0);
    assertThat(state.path("schemaMigrations")).hasSize(1);
    assertThat(sm.path("spec").path("bundle").path("image").asText())
        .isEqualTo("registry.example.com/accounts-migrations:" + bundleTag);
    assertThat(sm.path("status").path("currentRevision").asText()).isEqualTo(revision);
    assertThat(sm.path("status").path("headRevision").asText()).isEqualTo(revision);
    assertThat(sm.path("status").path("gatedDeployments")).isEmpty();
    assertThat(state.path("deployments")).hasSize(1);
    JsonNode app = state.path("deployments").get(0);
    assertThat(app.path("metadata").path("name").asText()).isEqualTo("orders-api");
    assertThat(
            app.path("metadata")
                .path("annotations")
                .path("schemagate.io/requires-revision")
                .asText())
        .isEqualTo(revision);
    assertThat(app.path("metadata").path("annotations").has("schemagate.io/paused-by")).isFalse();
    assertThat(app.path("spec").path("paused").asBoolean()).as("released").isFalse();
    assertThat(
            app.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("image")
                .asText())
        .isEqualTo(appImage);
  }

  static void assertFailsInOneLine(String[] args, String expected) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Sandbox.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(message).isEqualTo(2);
    assertThat(message.lines()).as(message).singleElement().asString().contains(expected);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aControlPlaneOtherThanMockOrRealIsOneLineAndExits2() throws Exception {
    assertFailsInOneLine(
        new String[] {"--apply", "../examples", "--control-plane", "kind", "--runner-jar", JAR},
        "sandbox: --control-plane is mock or real, got: kind");
  }

  @Test
  void theRealControlPlaneWithoutItsBinariesIsOneLineSayingHowToGetThemAndExits2()
      throws Exception {
    String before = System.getProperty(ControlPlane.BIN_DIR_PROPERTY);
    // An empty property hides the binaries, whatever the environment says.
    System.setProperty(ControlPlane.BIN_DIR_PROPERTY, "");
    try {
      assertFailsInOneLine(
          new String[] {"--apply", "../examples", "--control-plane", "real", "--runner-jar", JAR},
          "sandbox: --control-plane real needs the Kubernetes binaries make k8s-bin builds");
    } finally {
      if (before == null) {
        System.clearProperty(ControlPlane.BIN_DIR_PROPERTY);
      } else {
        System.setProperty(ControlPlane.BIN_DIR_PROPERTY, before);
      }
    }
  }

  /**
   * What the mock API server refuses (a create past a ResourceQuota's object count) is told in
   * kubectl apply's words; the other objects are applied and run, and the exit code is 1.
   */
  @Test
  void anObjectTheApiServerRefusesIsToldAsKubectlWouldTheRestRunsAndItExits1(@TempDir Path dir)
      throws Exception {
    Path manifest = dir.resolve("quota.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: one-migration, namespace: quota}
        spec:
          hard: {count/schemamigrations.schemagate.io: "1"}
        ---
        """
            + migration("quota", "first", "")
            + "---\n"
            + migration("quota", "second", "")
            + "---\n"
            + secret("quota"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Sandbox.execute(
            new String[] {"--apply", manifest.toString(), "--bundle", EXAMPLE, "--runner-jar", JAR},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String table = out.toString(StandardCharsets.UTF_8);
    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(log).isEqualTo(1);
    String count = "count/schemamigrations.schemagate.io";
    assertThat(log)
        .contains(
            "Error from server (Forbidden): error when creating \""
                + manifest
                + "\": schemamigrations.schemagate.io \"second\" is forbidden: exceeded quota:"
                + " one-migration, requested: "
                + count
                + "=1, used: "
                + count
                + "=1, limited: "
                + count
                + "=1\n")
        .contains("sandbox: applied 3 objects from " + manifest + "; the API server rejected 1");
    assertThat(table).containsPattern("quota +first +True +7 +7 ").doesNotContain("second");
  }

  @Test
  void holdKeepsItUpAfterTheFinalStateUntilInterruptedThenRemovesItsFolders() throws Exception {
    RunningSandbox sandbox =
        RunningSandbox.start(
            "--hold", "--apply", "../examples", "--bundle", EXAMPLE, "--runner-jar", JAR);
    try (sandbox) {
      sandbox.awaitErr("sandbox: holding until Ctrl-C");
      Path logs =
          Path.of(sandbox.awaitErr("sandbox:   runner logs: (\\S+)/NAMESPACE/POD/log").group(1));
      String curl = sandbox.awaitErr("plain HTTP: curl (\\S+)").group(1);

      assertThat(sandbox.out()).containsPattern("shop +accounts +True +7 +7 ");
      assertThat(sandbox.err()).contains("kubectl knows none of its resource types");
      assertThat(curl)
          .startsWith("http://")
          .endsWith("/apis/schemagate.io/v1alpha1/schemamigrations");
      // The runner's output, where the hint says.
      try (Stream<Path> files = Files.walk(logs.resolve("shop"))) {
        Path log =
            files.filter(f -> f.getFileName().toString().equals("log")).findFirst().orElseThrow();
        assertThat(Files.readString(log)).contains("V7");
      }
      assertThat(sandbox.isRunning()).as("held after the final state").isTrue();

      assertThat(sandbox.interrupt()).as(sandbox.err()).isZero();
      assertThat(logs).doesNotExist();
      assertThat(logs.getParent()).doesNotExist();
    }
  }

  @Test
  void interruptedBeforeTheEndItStopsItsRunnersAndExits130(@TempDir Path dir) throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("slow"));
    Files.writeString(bundle.resolve("V1__slow.sql"), "SELECT pg_sleep(600);\n");
    Files.writeString(bundle.resolve("U1__slow.sql"), "SELECT 1;\n");
    Path manifest = dir.resolve("slow.yaml");
    Files.writeString(manifest, migration("slow", "slow", "") + "---\n" + secret("slow"));
    Set<Long> before = descendants();

    RunningSandbox sandbox =
        RunningSandbox.start(
            "--apply",
            manifest.toString(),
            "--bundle",
            "registry.example.com/accounts-migrations:1.0.0=" + bundle,
            "--runner-jar",
            JAR);
    try (sandbox) {
      sandbox.awaitErr("MigrationStarted slow/slow");
      // The runner, a child process, is in its migration's pg_sleep.
      sandbox.await(
          "the runner to start",
          () ->
              ProcessHandle.current()
                  .descendants()
                  .anyMatch(
                      p ->
                          p.isAlive()
                              && p.info().commandLine().orElse("").contains("schemagate-runner")));

      assertThat(sandbox.interrupt()).as(sandbox.err()).isEqualTo(130);
      assertThat(sandbox.err()).endsWith("sandbox: stopped before the end\n");
      assertThat(sandbox.out()).isEmpty();
      assertThat(difference(descendants(), before)).as("child processes left running").isEmpty();
    }
  }

  /** The pids of this JVM's live descendants. */
  static Set<Long> descendants() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toCollection(HashSet::new));
  }

  static Set<Long> difference(Set<Long> a, Set<Long> b) {
    Set<Long> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  static final String EXAMPLE =
      "registry.example.com/accounts-migrations:1.0.0=../examples/bundle/sql";

  static String migration(String ns, String name, String specExtra) {
    return """
        apiVersion: schemagate.io/v1alpha1
        kind: SchemaMigration
        metadata: {name: %s, namespace: %s}
        spec:
          database:
            url: jdbc:postgresql://%s-db:5432/%s
            credentialsSecret: {name: accounts-db}
          bundle: {image: "registry.example.com/accounts-migrations:1.0.0"}
        %s"""
        .formatted(name, ns, ns, (ns + "_" + name).replace('-', '_'), specExtra);
  }

  static String secret(String ns) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: accounts-db, namespace: %s}
        stringData: {username: migrator, password: s3cret}
        """
        .formatted(ns);
  }

  /** {@link Sandbox#execute} in a thread of its own, as a user's shell runs it, with its output. */
  static final class RunningSandbox implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> code = new CompletableFuture<>();
    private final Thread thread;

    private RunningSandbox(String[] args) {
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      thread =
          new Thread(
              () -> {
                try {
                  code.complete(Sandbox.execute(args, o, e));
                } catch (Throwable t) {
                  code.completeExceptionally(t);
                }
              },
              "sandbox-command");
    }

    static RunningSandbox start(String... args) {
      RunningSandbox s = new RunningSandbox(args);
      s.thread.start();
      return s;
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    boolean isRunning() {
      return !code.isDone();
    }

    /** Waits for stderr to match {@code regex}; fails if the sandbox ends first. */
    MatchResult awaitErr(String regex) throws Exception {
      Pattern pattern = Pattern.compile(regex);
      MatchResult[] found = {null};
      await(
          "stderr to match " + regex,
          () -> {
            Matcher m = pattern.matcher(err());
            found[0] = m.find() ? m.toMatchResult() : null;
            return found[0] != null;
          });
      return found[0];
    }

    /** Waits for {@code condition} while the sandbox runs; fails if it ends first. */
    void await(String what, BooleanSupplier condition) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!condition.getAsBoolean()) {
        if (code.isDone()) {
          throw new AssertionError(
              "the sandbox ended (" + code.get() + ") before " + what + ":\n" + err());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("waited 3 minutes for " + what + ":\n" + err());
        }
        Thread.sleep(100);
      }
    }

    /** Interrupts it, as Ctrl-C does, and returns its exit code once it has cleaned up. */
    int interrupt() throws Exception {
      thread.interrupt();
      return code.get(3, TimeUnit.MINUTES);
    }

    /** Stops it if a failed test left it running. */
    @Override
    public void close() throws Exception {
      if (isRunning()) {
        thread.interrupt();
        code.handle((c, t) -> c).get(3, TimeUnit.MINUTES);
      }
    }
  }

  @Test
  void tableHasTheCrdsPrinterColumns() {
    assertThat(Table.of(java.util.List.of()))
        .startsWith("NAMESPACE   NAME   READY   REVISION   HEAD   DURATION   REASON   AGE");
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertThatThrownBy(() -> Sandbox.Options.parse(new String[] {"--bundle", "x=../examples"}))
        .hasMessageContaining("nothing to --apply");
    assertThatThrownBy(() -> Sandbox.Options.parse(new String[] {"--apply", "no/such/file.yaml"}))
        .hasMessageContaining("no such file");
    assertThatThrownBy(
            () ->
                Sandbox.Options.parse(
                    new String[] {
                      "--apply", "../examples", "--output", "xml", "--runner-jar", JAR
                    }))
        .hasMessageContaining("table, yaml or json");
    assertThatThrownBy(
            () ->
                Sandbox.Options.parse(
                    new String[] {"--apply", "../examples", "--metrics-port", "http"}))
        .hasMessageContaining("--metrics-port takes a port number");
    assertThat(Path.of(JAR)).exists();
  }
}
