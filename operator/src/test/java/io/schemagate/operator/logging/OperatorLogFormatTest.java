package io.schemagate.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.operator.OperatorMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The operator process's log lines in each format: {@link OperatorMain} as a child JVM against an
 * API server that is not there, which fails its start with errors and stack traces from JOSDK,
 * fabric8 and our own code.
 */
class OperatorLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void slf4jWritesThroughTheOperatorsOwnProvider() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(SchemaGateLoggerFactory.class);
  }

  @Test
  void aPortInUseForTheHttpServerIsOneErrorLineAndExit1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Result r =
          operator(
              List.of(),
              Map.of(
                  io.schemagate.operator.OperatorSettings.HTTP_PORT,
                  String.valueOf(taken.getLocalPort())));

      assertThat(r.exit).as(r.output).isEqualTo(1);
      assertThat(r.output)
          .contains(
              "cannot serve /metrics, /healthz and /readyz on port "
                  + taken.getLocalPort()
                  + " (SCHEMAGATE_HTTP_PORT)")
          .doesNotContain("Exception in thread");
    }
  }

  @Test
  void jsonFormatWritesEveryLineAsOneObjectWithTheErrorsStackTrace() throws Exception {
    Result r = operator(List.of("--log-format", "json"), Map.of());

    assertThat(r.exit).as(r.output).isEqualTo(1);
    assertThat(r.lines).as(r.output).isNotEmpty();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : r.lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      assertThat(n.path("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z");
      assertThat(n.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
      assertThat(n.path("logger").asText()).as(line).isNotEmpty();
      assertThat(n.path("thread").asText()).as(line).isNotEmpty();
      assertThat(n.has("message")).as(line).isTrue();
      objects.add(n);
    }
    assertThat(objects)
        .anySatisfy(
            n -> {
              assertThat(n.path("logger").asText()).isEqualTo(OperatorMain.class.getName());
              assertThat(n.path("level").asText()).isEqualTo("ERROR");
              assertThat(n.path("error").path("class").asText()).isNotEmpty();
              assertThat(n.path("error").path("stack").asText())
                  .contains("\tat io.schemagate.operator.OperatorMain.main");
            });
  }

  @Test
  void theEnvironmentChoosesJsonWhenNoArgumentDoesAndTheArgumentWins() throws Exception {
    Result json = operator(List.of(), Map.of(LogSettings.FORMAT_ENV, "json"));
    assertThat(json.lines).as(json.output).isNotEmpty().allMatch(l -> l.startsWith("{\"time\":"));

    Result text = operator(List.of("--log-format=text"), Map.of(LogSettings.FORMAT_ENV, "json"));
    assertThat(text.lines)
        .as(text.output)
        .anyMatch(l -> l.startsWith("[main] ERROR io.schemagate.operator.OperatorMain - "))
        .noneMatch(l -> l.startsWith("{"));
  }

  @Test
  void anUnknownFormatOrLevelExitsWithStatus1AndSaysWhy() throws Exception {
    Result format = operator(List.of("--log-format", "yaml"), Map.of());
    assertThat(format.exit).isEqualTo(1);
    assertThat(format.output)
        .contains("invalid configuration: --log-format: unknown log format \"yaml\"");

    Result level = operator(List.of(), Map.of("SCHEMAGATE_LOG_LEVEL", "loud"));
    assertThat(level.exit).isEqualTo(1);
    assertThat(level.output)
        .contains("invalid configuration: SCHEMAGATE_LOG_LEVEL: unknown log level \"loud\"");
  }

  private record Result(int exit, String output, List<String> lines) {}

  private Result operator(List<String> args, Map<String, String> env) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: none, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: none, context: {cluster: none, user: u}}]
        current-context: none
        """
            .formatted(closedPort()));
    Path output = Files.createTempFile(dir, "operator", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OperatorMain.class.getName());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SCHEMAGATE_"));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    // Fail at once instead of retrying the refused connection with backoff.
    pb.environment().put("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0");
    pb.environment().put(io.schemagate.operator.OperatorSettings.HTTP_PORT, "0");
    pb.environment().putAll(env);
    Process process = pb.start();
    try {
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      String out = Files.readString(output);
      assertThat(ended).as("the operator ended; its output:%n%s", out).isTrue();
      return new Result(process.exitValue(), out, out.lines().toList());
    } finally {
      process.destroyForcibly();
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
