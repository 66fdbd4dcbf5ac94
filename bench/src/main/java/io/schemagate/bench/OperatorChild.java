package io.schemagate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The operator's process, seen from the bench. */
final class OperatorChild {
  private final Process process;
  private final BufferedReader out;

  private OperatorChild(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * @param server the API server's URL, or a kubeconfig file's path
   */
  static OperatorChild start(String server, int threads, String jvm) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : jvm.trim().split("\\s+")) {
      if (!a.isEmpty()) {
        cmd.add(a);
      }
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            OperatorProcess.class.getName(),
            server,
            Integer.toString(threads)));
    Path log = Path.of("bench/target/operator-process.log");
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    OperatorChild child = new OperatorChild(p);
    String line;
    while ((line = child.out.readLine()) != null && !line.equals("started")) {
      System.err.println("operator: " + line); // e.g. the JVM's own notices
    }
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the operator process did not start; see " + log);
    }
    return child;
  }

  /** The process, for its CPU time. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  long cpuNanos() {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  Map<String, Long> report() throws Exception {
    process.getOutputStream().write("report\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
    Map<String, Long> values = new java.util.HashMap<>();
    String line;
    while ((line = out.readLine()) != null && !line.equals("end")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
      }
    }
    return values;
  }

  void exit() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
