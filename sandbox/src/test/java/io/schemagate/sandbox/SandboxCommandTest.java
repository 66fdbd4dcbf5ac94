package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code make sandbox} / {@code make demo} as a user runs them. */
class SandboxCommandTest {
  static final String JAR = "../migrations-image/target/schemagate-runner.jar";

  @Test
  void examplesReachHeadAndPrintAsJsonWithFullObjects() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sandbox.run(
            Sandbox.Options.parse(
                new String[] {
                  "--apply", "../examples/schemamigration.yaml",
                  "--bundle",
                      "registry.example.com/accounts-migrations:1.0.0=../examples/bundle/sql",
                  "--output", "json",
                  "--runner-jar", JAR
                }),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    JsonNode sm = doc.path("schemaMigrations").get(0);
    assertThat(sm.path("kind").asText()).isEqualTo("SchemaMigration");
    assertThat(sm.path("status").path("currentRevision").asText()).isEqualTo("7");
    assertThat(doc.path("deployments").isArray()).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("MigrationSucceeded");
    assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
        .doesNotContain("CHANGE-ME-placeholder-not-a-real-password");
  }

  @Test
  void tableHasTheCrdsPrinterColumns() {
    assertThat(Table.of(java.util.List.of()))
        .startsWith("NAMESPACE   NAME   READY   REVISION   HEAD   DURATION   REASON   AGE");
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertThatThrownBy(() -> Sandbox.Options.parse(new String[] {"--bundle", "x=y"}))
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
