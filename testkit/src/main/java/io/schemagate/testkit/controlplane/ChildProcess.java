package io.schemagate.testkit.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process that cannot outlive the JVM that started it (the control plane's, a test's Prometheus):
 * it runs under a small shell that holds the JVM's end of a pipe and stops it when that pipe
 * closes, which the kernel does when the JVM exits for any reason, a {@code kill -9} included. Its
 * output goes to a log file.
 */
public final class ChildProcess implements AutoCloseable {
  // fd 3 keeps the pipe from the JVM: an asynchronous list's stdin is /dev/null in sh.
  private static final String GUARD =
      "exec 3<&0; \"$@\" </dev/null & child=$!;"
          + " (cat <&3 >/dev/null; kill -TERM $child 2>/dev/null) &"
          + " trap 'kill -TERM $child 2>/dev/null; wait $child; exit 143' TERM INT;"
          + " wait $child";

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command}, its output (stdout and stderr) to {@code log}. */
  public static ChildProcess start(String name, Path log, List<String> command) throws IOException {
    List<String> guarded = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, name));
    guarded.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(guarded);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return new ChildProcess(name, pb.start(), log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of its log, for an error message. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  String name() {
    return name;
  }

  /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
