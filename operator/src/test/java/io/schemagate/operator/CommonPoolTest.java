package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On 2 CPUs, CompletableFuture's default executor is a pool only after {@link CommonPool}. */
class CommonPoolTest {

  /** Run in a fresh JVM: prints the common pool's parallelism and the default executor's class. */
  public static final class Probe {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("ensure")) {
        CommonPool.ensureParallelism();
      }
      System.out.println(
          ForkJoinPool.getCommonPoolParallelism()
              + " "
              + new CompletableFuture<Void>().defaultExecutor().getClass().getName());
    }
  }

  @Test
  void onTwoCpusTheDefaultExecutorIsAThreadPerTaskUnlessEnsured() throws Exception {
    assertThat(probe(2, false)).endsWith("ThreadPerTaskExecutor");
    assertThat(probe(2, true)).isEqualTo("2 java.util.concurrent.ForkJoinPool");
    assertThat(probe(1, true)).isEqualTo("2 java.util.concurrent.ForkJoinPool");
  }

  @Test
  void leavesLargerMachinesAndExplicitSettingsAlone() throws Exception {
    assertThat(probe(8, true)).isEqualTo("7 java.util.concurrent.ForkJoinPool");
    assertThat(probe(2, true, "-D" + CommonPool.PARALLELISM + "=5"))
        .isEqualTo("5 java.util.concurrent.ForkJoinPool");
  }

  private static String probe(int cpus, boolean ensure, String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:ActiveProcessorCount=" + cpus);
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Probe.class.getName());
    if (ensure) {
      cmd.add("ensure");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
