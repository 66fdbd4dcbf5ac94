package io.schemagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one invocation to completion and returns its wall time in nanoseconds. */
final class TimedProcess {

  private static final long TIMEOUT_MINUTES = 10;

  private TimedProcess() {}

  /**
   * Output goes to {@code log} (overwritten each time), not to a pipe the bench would have to drain
   * while timing.
   */
  static long run(Invocation invocation, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(invocation.command())
            .directory(invocation.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(invocation.environment());
    try {
      long start = System.nanoTime();
      Process process = builder.start();
      boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
      long elapsed = System.nanoTime() - start;
      if (!finished) {
        process.destroyForcibly();
        throw new ToolFailedException("timed out after " + TIMEOUT_MINUTES + " min", log);
      }
      if (process.exitValue() != 0) {
        throw new ToolFailedException("exit code " + process.exitValue(), log);
      }
      return elapsed;
    } catch (IOException e) {
      throw new ToolFailedException("cannot start " + invocation.command().get(0) + ": " + e, log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailedException("interrupted", log);
    }
  }

  /** The last lines a failed process printed, for the error message. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
