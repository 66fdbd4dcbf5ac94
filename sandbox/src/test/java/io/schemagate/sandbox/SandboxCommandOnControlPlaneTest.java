package io.schemagate.sandbox;

import static io.schemagate.sandbox.SandboxCommandTest.EXAMPLE;
import static io.schemagate.sandbox.SandboxCommandTest.JAR;
import static io.schemagate.sandbox.SandboxCommandTest.migration;
import static io.schemagate.sandbox.SandboxCommandTest.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.sandbox.SandboxCommandTest.RunningSandbox;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox --control-plane real} as a user runs it: a control plane of its own, whose
 * kubeconfig serves kubectl while the sandbox runs, whose API server's refusals are told in
 * kubectl's own words, and which is gone with its folders and processes when the sandbox ends.
 */
@Tag(ControlPlane.TAG)
class SandboxCommandOnControlPlaneTest {
  private static Path kubectl;

  @BeforeAll
  static void binaries() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    kubectl = ControlPlane.binaries().orElseThrow().resolve("kubectl");
  }

  /**
   * The CRD's schema and CEL rules and the namespace lifecycle refuse three objects of two files;
   * the sandbox tells each as kubectl apply tells it on the same server (a lone refusal by its
   * causes, several one line each), applies the rest, runs the good SchemaMigration to Ready and
   * exits 1. While it holds, its kubeconfig serves kubectl.
   */
  @Test
  void refusedObjectsAreToldInKubectlsWordsTheRestRunsAndItExits1(@TempDir Path dir)
      throws Exception {
    Path first = dir.resolve("first.yaml");
    Files.writeString(
        first,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: refusals}\n---\n"
            + secret("refusals")
            + "---\n"
            + migration("refusals", "good", "")
            + "---\n"
            + migration("refusals", "too-long", "  timeout: 200h\n"));
    Path second = dir.resolve("second.yaml");
    Files.writeString(
        second,
        migration("refusals", "no-bundle", "").replaceAll("(?m)^  bundle: .*\n", "")
            + "---\n"
            + secret("nowhere"));

    RunningSandbox sandbox =
        RunningSandbox.start(
            "--control-plane",
            "real",
            "--hold",
            "--output",
            "json",
            "--apply",
            first.toString(),
            "--apply",
            second.toString(),
            "--bundle",
            EXAMPLE,
            "--runner-jar",
            JAR);
    try (sandbox) {
      Path kubeconfig = Path.of(sandbox.awaitErr("kubeconfig: (\\S+)").group(1));
      sandbox.awaitErr("sandbox: holding until Ctrl-C");

      // kubectl's words for the same files on the same server, from a server-side dry run.
      Kubectl firstByKubectl = kubectl(kubeconfig, "apply", "--dry-run=server", "-f", first);
      Kubectl secondByKubectl = kubectl(kubeconfig, "apply", "--dry-run=server", "-f", second);
      // Kubernetes 1.34.4 names a CEL rule's failing value by its type, 1.37.2 by the value itself.
      assertThat(firstByKubectl.errors())
          .matches(
              "The SchemaMigration \"too-long\" is invalid: spec.timeout: Invalid value:"
                  + " \"(string|200h)\": must be between 10s and 168h\n");
      assertThat(secondByKubectl.errors())
          .startsWith(
              "Error from server (Invalid): error when creating \""
                  + second
                  + "\": SchemaMigration.schemagate.io \"no-bundle\" is invalid: [spec.bundle:"
                  + " Required value")
          .endsWith(
              "Error from server (NotFound): error when creating \""
                  + second
                  + "\": namespaces \"nowhere\" not found\n");
      String err = sandbox.err();
      assertThat(err)
          .contains(
              firstByKubectl.errors()
                  + "sandbox: applied 3 objects from "
                  + first
                  + "; the API server rejected 1\n")
          .contains(
              secondByKubectl.errors()
                  + "sandbox: applied 0 objects from "
                  + second
                  + "; the API server rejected 2\n");
      // What the sandbox applied, through the kubeconfig it printed.
      Kubectl get = kubectl(kubeconfig, "get", "smig,secrets", "-n", "refusals", "-o", "name");
      assertThat(get.stdout().lines())
          .containsExactlyInAnyOrder("schemamigration.schemagate.io/good", "secret/accounts-db");

      assertThat(sandbox.interrupt()).as(err).isEqualTo(1);
      JsonNode state = new ObjectMapper().readTree(sandbox.out());
      assertThat(state.path("schemaMigrations")).hasSize(1);
      JsonNode good = state.path("schemaMigrations").get(0);
      assertThat(good.path("metadata").path("name").asText()).isEqualTo("good");
      assertThat(good.path("status").path("currentRevision").asText()).isEqualTo("7");
      assertThat(good.path("status").path("conditions"))
          .anyMatch(
              c ->
                  c.path("type").asText().equals("Ready")
                      && c.path("status").asText().equals("True"));
      assertThat(kubeconfig.getParent()).as("the control plane's folder").doesNotExist();
    }
  }

  /**
   * {@code make sandbox ARGS="--control-plane real --hold ..."} finds the binaries itself (here in
   * the cache this test's binaries are in), prints a kubeconfig that kubectl uses while it holds,
   * and on SIGTERM stops every process it started and removes its folders.
   */
  @Test
  void makeSandboxOnTheRealControlPlaneServesKubectlUntilSigtermThenCleansUp(@TempDir Path dir)
      throws Exception {
    Path bin = ControlPlane.binaries().orElseThrow();
    Matcher cached =
        Pattern.compile("(\\d+\\.\\d+\\.\\d+)-linux-\\w+").matcher(bin.getFileName().toString());
    assumeTrue(
        cached.matches() && bin.getParent().getFileName().toString().equals("k8s"),
        "the binaries are not in a cache make k8s-bin would look in: " + bin);
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    ProcessBuilder make =
        SandboxCommandTest.makeSandbox(
            stdout,
            stderr,
            "--control-plane real --hold --apply examples"
                + " --bundle registry.example.com/accounts-migrations:1.0.0=examples/bundle/sql");
    // Found by make, as on a user's machine: the cache and version of this test's binaries.
    make.environment().remove(ControlPlane.BIN_DIR_ENV);
    make.environment().put("SCHEMAGATE_CACHE", bin.getParent().getParent().toString());
    make.environment().put("K8S_VERSION", cached.group(1));
    Process process = make.start();
    try {
      String held = awaitFile(process, stderr, "sandbox: holding until Ctrl-C");
      Path kubeconfig = Path.of(find(held, "kubeconfig: (\\S+)"));
      Path logs = Path.of(find(held, "runner logs: (\\S+)/NAMESPACE/POD/log"));
      int postgres = Integer.parseInt(find(held, "psql -h 127.0.0.1 -p (\\d+)"));

      Kubectl get = kubectl(kubeconfig, "get", "smig", "-n", "shop");
      assertThat(get.exitCode()).as(get.stderr()).isZero();
      assertThat(get.stdout()).containsPattern("accounts +True +7 +7 ");
      assertThat(Files.readString(stdout)).containsPattern("shop +accounts +True +7 +7 ");
      // make runs the sandbox's JVM in its recipe's place: it is make's child.
      ProcessHandle sandbox =
          process
              .children()
              .filter(p -> p.info().command().orElse("").endsWith("java"))
              .findFirst()
              .orElseThrow();
      List<ProcessHandle> started = sandbox.descendants().toList();
      assertThat(started.stream().map(p -> p.info().command().orElse("")))
          .anyMatch(c -> c.endsWith("/kube-apiserver"))
          .anyMatch(c -> c.endsWith("/etcd"));

      sandbox.destroy(); // SIGTERM
      assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String err = Files.readString(stderr);
      assertThat(process.exitValue()).as(err).isZero();
      assertThat(err).contains("sandbox: stopping (SIGTERM again to exit at once)");
      assertThat(kubeconfig.getParent()).as("the control plane's folder").doesNotExist();
      assertThat(logs.getParent()).as("the sandbox's folder").doesNotExist();
      assertThat(listening(postgres)).as("PostgreSQL still listening").isFalse();
      // The control plane's processes end before the sandbox does; the guards' pipe readers
      // follow their JVM.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(started.stream().filter(ProcessHandle::isAlive).map(this::describe))
          .as("processes left running")
          .isEmpty();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String describe(ProcessHandle p) {
    return p.pid() + " " + p.info().commandLine().orElse("?");
  }

  private static String awaitFile(Process process, Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      String content = Files.readString(file);
      if (content.contains(text)) {
        return content;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "make sandbox ended (" + process.exitValue() + ") without " + text + ":\n" + content);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + text + " within 3 minutes:\n" + content);
      }
      Thread.sleep(100);
    }
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex + " in:\n" + text).isTrue();
    return m.group(1);
  }

  /** One kubectl command's result; {@code errors()} is stderr without kubectl's warnings. */
  record Kubectl(int exitCode, String stdout, String stderr) {
    String errors() {
      return stderr
          .lines()
          .filter(l -> !l.startsWith("Warning: "))
          .map(l -> l + "\n")
          .collect(Collectors.joining());
    }
  }

  /** The control plane's kubectl, as a user runs it with the printed kubeconfig. */
  private static Kubectl kubectl(Path kubeconfig, Object... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig=" + kubeconfig);
    for (Object a : args) {
      command.add(a.toString());
    }
    Process p = new ProcessBuilder(command).start();
    // Small outputs: read one stream, then the other.
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + command + " did not end");
    }
    return new Kubectl(p.exitValue(), out, err);
  }
}
