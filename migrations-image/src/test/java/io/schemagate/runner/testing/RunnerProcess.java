package io.schemagate.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runner as a real child JVM ({@code java -cp <test class path> io.schemagate.runner.Main}),
 * the way a pod runs it: credentials only in the environment, output captured, signals delivered to
 * its pid.
 */
public final class RunnerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final List<String> command;
  private final long startNanos = System.nanoTime();

  private RunnerProcess(Process process, Path stdout, Path stderr, List<String> command) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.command = command;
  }

  /** A runner whose {@code SCHEMAGATE_URL}, {@code _USER} and {@code _PASSWORD} point at db. */
  public static Builder against(TestDatabase db) {
    Builder b = new Builder().env("SCHEMAGATE_URL", db.url()).env("SCHEMAGATE_USER", db.user());
    return db.password() == null || db.password().isEmpty()
        ? b
        : b.env("SCHEMAGATE_PASSWORD", db.password());
  }

  /** A runner with no database settings at all. */
  public static Builder bare() {
    return new Builder();
  }

  /** What to start: arguments and environment; the parent's {@code SCHEMAGATE_*} never leak in. */
  public static final class Builder {
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvm = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    private Builder() {}

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder withoutEnv(String name) {
      env.remove(name);
      return this;
    }

    /** JVM options, such as a heap limit ({@code -Xmx256m}). */
    public Builder jvm(String... options) {
      jvm.addAll(List.of(options));
      return this;
    }

    public Builder args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** Adds {@code --location <bundle> --output json}, as the operator's Job does. */
    public Builder bundle(Bundle bundle) {
      return args("--location", bundle.location(), "--output", "json");
    }

    /**
     * Starts the child JVM; stdout and stderr go to files under {@code workDir} (no pipe to fill).
     */
    public RunnerProcess start(Path workDir) {
      try {
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "runner-", ".stdout");
        Path err = Files.createTempFile(workDir, "runner-", ".stderr");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Start-up flags only: a short-lived CLI does not need the optimising compiler.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("io.schemagate.runner.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("SCHEMAGATE_"));
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new RunnerProcess(pb.start(), out, err, List.copyOf(args));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String classPath() {
      String cp = System.getProperty("surefire.test.class.path");
      return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }
  }

  /** The outcome of a finished runner. */
  public record Exit(int code, String stdout, String stderr, Duration elapsed) {
    /** Stdout parsed as the one JSON result object ({@code --output json}). */
    public JsonNode json() {
      return parse(stdout, "stdout");
    }

    public String reason() {
      return json().path("error").path("reason").asText(null);
    }

    @Override
    public String toString() {
      return "exit "
          + code
          + " after "
          + elapsed.toMillis()
          + " ms\nstdout: "
          + stdout
          + "\nstderr: "
          + stderr;
    }
  }

  /** Parses text that must be exactly one JSON object. */
  public static JsonNode parse(String text, String what) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new AssertionError(what + " is not one JSON object: " + text);
      }
      return node;
    } catch (IOException e) {
      throw new AssertionError(what + " is not valid JSON: " + text, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM, as the kubelet does when a pod is stopped or a Job's deadline passes. */
  public void terminate() {
    signal("TERM");
  }

  /** Sends SIGKILL: the JVM gets no chance to clean up. */
  public void kill() {
    process.destroyForcibly();
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits up to {@code bound} for the runner to exit; a runner still alive then is killed and the
   * wait fails with what it printed so far.
   */
  public Exit awaitExit(Duration bound) {
    try {
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "runner "
                + command
                + " still running after "
                + bound
                + "\nstdout: "
                + read(stdout)
                + "\nstderr: "
                + read(stderr));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    return new Exit(process.exitValue(), read(stdout), read(stderr), elapsed);
  }

  /** What the runner has written to stderr so far. */
  public String stderrSoFar() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the runner if a test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
