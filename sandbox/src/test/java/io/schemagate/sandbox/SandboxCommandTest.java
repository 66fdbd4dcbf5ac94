package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    ProcessBuilder make =
        new ProcessBuilder(
                "make",
                "sandbox",
                "SANDBOX_BUILD=",
                "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                "ARGS=--apply examples/schemamigration.yaml --output json"
                    + " --bundle registry.example.com/accounts-migrations:1.0.0=examples/bundle/sql")
            .directory(Path.of("..").toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    // As from a user's shell, not from inside `make test`, whose make would report directories.
    make.environment().keySet().removeAll(List.of("MAKEFLAGS", "MAKELEVEL", "MFLAGS"));
    Process process = make.start();
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
    assertThat(doc.path("deployments").isArray()).isTrue();
    assertThat(err).contains("MigrationSucceeded");
    assertThat(out + err).doesNotContain("CHANGE-ME-placeholder-not-a-real-password");
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
        "sandbox: --bundle takes IMAGE=DIR, got: registry.example.com/x:1");
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
    assertThat(Path.of(JAR)).exists();
  }
}
