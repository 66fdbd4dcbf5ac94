package io.schemagate.testkit.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path dir;

  /** Started in a JVM of its own: starts a guarded sleep, prints its pid, then waits. */
  public static void main(String[] args) throws Exception {
    ChildProcess child = ChildProcess.start("sleep", Path.of(args[0]), List.of("sleep", "1000"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Optional<ProcessHandle> sleep = Optional.empty();
    while (sleep.isEmpty() && System.nanoTime() < deadline) {
      sleep =
          ProcessHandle.current()
              .descendants()
              .filter(p -> p.info().command().orElse("").endsWith("sleep"))
              .findFirst();
      Thread.sleep(20);
    }
    System.out.println(sleep.map(ProcessHandle::pid).orElse(-1L));
    System.out.flush();
    child.isAlive();
    Thread.sleep(60_000);
  }

  @Test
  void aGuardedProcessEndsWhenItsJvmIsKilled() throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ChildProcessTest.class.getName(),
                dir.resolve("sleep.log").toString())
            .redirectErrorStream(true)
            .start();
    long pid;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      pid = Long.parseLong(out.readLine().trim());
    }
    assertThat(pid).as("the guarded sleep started").isPositive();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    jvm.destroyForcibly(); // kill -9: no shutdown hook runs
    jvm.waitFor();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("the guarded process outlived its JVM")
        .isFalse();
  }

  @Test
  void stopEndsTheProcessAndItsLogKeepsItsOutput() throws Exception {
    Path log = dir.resolve("echo.log");
    ChildProcess child =
        ChildProcess.start("sh", log, List.of("sh", "-c", "echo started; exec sleep 1000"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.readString(log).contains("started") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(child.tail(5)).isEqualTo("started");

    child.stop(Duration.ofSeconds(5));

    assertThat(child.isAlive()).isFalse();
  }
}
