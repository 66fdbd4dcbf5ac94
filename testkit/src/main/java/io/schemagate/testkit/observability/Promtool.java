package io.schemagate.testkit.observability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' {@code promtool} (Debian's {@code prometheus} package; {@code .ci/run} installs it),
 * for the tests that check the alert rules and the operator's scrape with it.
 */
public final class Promtool {
  /** The command, found on the {@code PATH}. */
  public static final String COMMAND = "promtool";

  /** Why a test that needs it is skipped where it is missing. */
  public static final String MISSING =
      "no promtool here (apt-get install prometheus; .ci/run installs it)";

  private Promtool() {}

  /** What one run printed (standard output and error together) and its exit code. */
  public record Result(int exit, String output) {}

  /** Whether {@code promtool} runs here. */
  public static boolean available() {
    try {
      return new ProcessBuilder(COMMAND, "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code promtool ARGS} with {@code stdin} as its input (null: none) and waits at most a
   * minute for it to end.
   */
  public static Result run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(COMMAND));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    // Read to the end first: a failing unit test's diff can outgrow the pipe and block promtool.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "promtool " + String.join(" ", args) + " did not end within a minute:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }
}
