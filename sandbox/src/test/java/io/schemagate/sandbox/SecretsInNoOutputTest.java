package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.logging.LogFormat;
import io.schemagate.operator.logging.LogOutput;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any output: a marker password in the credentials Secret, and a marker-like wrong
 * one, must appear in nothing the product writes — the operator's log lines (every library's, at
 * the INFO level the operator runs at, in text and JSON), the runners' output, Events, the
 * SchemaMigration's status, the Jobs (the password only as a {@code secretKeyRef}) and their pods'
 * termination messages — through a successful run, a failed migration and a refused login.
 */
class SecretsInNoOutputTest {
  /** The migration role's real password. */
  static final String MARKER = "Zq9-marker-s3cr3t";

  /** A wrong password of the same shape, in the Secret of the refused login. */
  static final String WRONG = "Zq9-wrong-m4rk3r";

  static final String USER = "marker_user";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final AtomicInteger IDS = new AtomicInteger();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path bundles;
  static Capture capture;
  static AutoCloseable operatorLevels;
  static SandboxCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    // Everything this JVM prints from here on, the sandbox's operator and libraries included.
    capture = Capture.start();
    // The operator's own levels (INFO for everything), not the sandbox's quiet ones.
    operatorLevels = LogOutput.allAt("info");
    Path broken = Files.createDirectories(bundles.resolve("broken"));
    Files.writeString(broken.resolve("V1__create_a.sql"), "CREATE TABLE a (id INT);\n");
    Files.writeString(broken.resolve("U1__create_a.sql"), "DROP TABLE a;\n");
    Files.writeString(broken.resolve("V2__broken.sql"), "INSERT INTO a SELECT id FROM nowhere;\n");
    Files.writeString(broken.resolve("U2__broken.sql"), "DELETE FROM a;\n");
    cluster =
        SandboxCluster.builder(SandboxScenarios.RUNNER_JAR.toAbsolutePath())
            .gracePeriod(Duration.ofSeconds(5))
            .extraRunnerArgs("--connect-timeout", "2s")
            .bundle("example:7", SandboxScenarios.EXAMPLE)
            .bundle("broken:1", broken)
            .start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (operatorLevels != null) {
        operatorLevels.close();
      }
      if (capture != null) {
        capture.close();
      }
    }
  }

  @Test
  void theMarkerPasswordIsInNoLogEventStatusJobOrTerminationMessage() throws Exception {
    List<String> namespaces = runSucceededFailedAndRefused();

    assertNoSecretIn("the JVM's stdout and stderr", capture.text());
    assertNoSecretIn("the runners' output and result files", runnerFiles());
    for (String ns : namespaces) {
      assertNoSecretInTheApi(ns);
    }
  }

  @Test
  void jsonLogLinesAreEachValidJsonAndFreeOfTheMarker() throws Exception {
    LogFormat before = LogOutput.format();
    LogOutput.use(LogFormat.JSON);
    int from = capture.length();
    try {
      runSucceededFailedAndRefused();
    } finally {
      LogOutput.use(before);
    }
    String written = capture.text().substring(from);

    List<String> lines = written.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("INFO lines of JOSDK, fabric8 and the embedded server").isNotEmpty();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      assertThat(n.path("message").isTextual()).as(line).isTrue();
      assertThat(n.path("time").asText()).as(line).endsWith("Z");
    }
    assertNoSecretIn("the JSON log lines", written);
  }

  /** The three runs, each in a namespace of its own; returns the namespaces. */
  static List<String> runSucceededFailedAndRefused() throws Exception {
    String succeeded = namespace();
    create(succeeded, "example:7", MARKER);
    await(succeeded, Settle::ready);

    String failed = namespace();
    create(failed, "broken:1", MARKER);
    await(failed, stalled("MigrationFailed"));

    String refused = namespace();
    // The role exists with the marker (from the first run): this Secret's password is refused.
    create(refused, "example:7", WRONG);
    await(refused, stalled("AuthenticationFailed"));

    // The searched outputs hold what they should, so that a clean search means something.
    String runners = runnerFiles();
    assertThat(runners).contains("Applied 7 migrations", "V2__broken.sql", "AuthenticationFailed");
    return List.of(succeeded, failed, refused);
  }

  static void assertNoSecretInTheApi(String ns) {
    List<SchemaMigration> migrations =
        client.resources(SchemaMigration.class).inNamespace(ns).list().getItems();
    assertThat(migrations).hasSize(1);
    assertThat(migrations.get(0).getStatus().getLastRun()).isNotNull();
    assertNoSecretIn("SchemaMigration status in " + ns, asJson(migrations));
    assertNoSecretIn(
        "Events in " + ns, asJson(client.v1().events().inNamespace(ns).list().getItems()));

    List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
    assertThat(jobs).isNotEmpty();
    assertNoSecretIn("Jobs in " + ns, asJson(jobs));
    for (Job job : jobs) {
      List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
      EnvVar password =
          env.stream()
              .filter(v -> v.getName().equals(SchemaGateApi.PASSWORD_ENV))
              .findFirst()
              .orElseThrow();
      assertThat(password.getValue()).as("the password is never a value").isNull();
      assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
    }

    List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
    List<String> terminationMessages =
        pods.stream()
            .flatMap(p -> p.getStatus().getContainerStatuses().stream())
            .map(ContainerStatus::getState)
            .filter(s -> s.getTerminated() != null)
            .map(s -> s.getTerminated().getMessage())
            .toList();
    assertThat(terminationMessages).as("the runners' results, read by the operator").isNotEmpty();
    assertNoSecretIn("pods and their termination messages in " + ns, asJson(pods));
  }

  /** The marker, the wrong password, a part of either, or either in base64 (as Secrets hold it). */
  static void assertNoSecretIn(String where, String text) {
    List<String> forbidden = new ArrayList<>(List.of("Zq9", "marker-s3cr3t", "wrong-m4rk3r"));
    for (String secret : List.of(MARKER, WRONG)) {
      forbidden.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }
    for (String f : forbidden) {
      int at = text.indexOf(f);
      assertThat(at)
          .as(
              "%s contains a secret (%s) at: %s",
              where,
              f,
              at < 0 ? "" : text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 50)))
          .isNegative();
    }
  }

  /** Every file the sandbox's runners wrote: their stdout and stderr, and their result files. */
  static String runnerFiles() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(cluster.podLogs())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
      }
    }
    return all.toString();
  }

  static String namespace() {
    String ns = "secrets-" + IDS.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  static void create(String ns, String image, String password) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(Fixtures.credentials(ns, "db", USER, password))
        .create();
    SchemaMigration sm =
        Fixtures.migration(
            ns,
            "accounts",
            s -> {
              // A database of its own; the role is the same in all, created with the first.
              s.getSpec().getDatabase().setUrl("jdbc:postgresql://db:5432/" + ns.replace('-', '_'));
              s.getSpec().getDatabase().getCredentialsSecret().setName("db");
              s.getSpec().getBundle().setImage(image);
              s.getSpec().getRetry().setInitialDelay("1s");
            });
    client.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();
  }

  static Predicate<SchemaMigration> stalled(String reason) {
    return sm -> {
      Condition c = Settle.condition(sm, "Stalled");
      return Settle.settled(sm)
          && c != null
          && "True".equals(c.getStatus())
          && reason.equals(c.getReason());
    };
  }

  static SchemaMigration await(String ns, Predicate<SchemaMigration> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    SchemaMigration last = null;
    while (System.nanoTime() < deadline) {
      last = client.resources(SchemaMigration.class).inNamespace(ns).withName("accounts").get();
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "timed out waiting for "
            + ns
            + "/accounts; last status: "
            + (last == null ? null : asJson(last.getStatus())));
  }

  static String asJson(Object o) {
    return client.getKubernetesSerialization().asJson(o);
  }

  /** System.out and System.err, still written where they were, and kept. */
  static final class Capture implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    static Capture start() {
      Capture c = new Capture();
      System.setOut(c.tee(c.out));
      System.setErr(c.tee(c.err));
      return c;
    }

    private PrintStream tee(PrintStream original) {
      return new PrintStream(
          new OutputStream() {
            @Override
            public void write(int b) {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              original.write(b, off, len);
              synchronized (kept) {
                kept.write(b, off, len);
              }
            }

            @Override
            public void flush() {
              original.flush();
            }
          },
          true,
          StandardCharsets.UTF_8);
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }

    int length() {
      return text().length();
    }

    @Override
    public void close() {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
