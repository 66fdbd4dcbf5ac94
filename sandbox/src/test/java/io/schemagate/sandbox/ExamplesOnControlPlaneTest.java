package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code examples/} as a user applies them to a cluster: with the real {@code
 * kubectl}, one by one in name order, on the real control plane with the CRD installed, then those
 * of {@code examples/roll-forward/}. Every object is accepted, without a warning: the namespace
 * {@code shop} enforces (and warns about) Pod Security {@code restricted}, so a Deployment or
 * StatefulSet whose pods it would refuse makes kubectl print {@code Warning: would violate
 * PodSecurity}. The sandbox's operator (the one {@code make demo-real} runs, as its ServiceAccount)
 * runs the SchemaMigration to revision 7 and releases the app of 1.0.0, then to 8 with the bundle
 * image 1.1.0, holding the app of 1.1.0 until then. The images are served as {@code make demo}
 * serves them: 1.1.0 is the 1.0.0 bundle's folder with the roll-forward's over it.
 *
 * <p>The examples name the namespace {@code shop}; no other test of this module uses it on the
 * shared control plane.
 */
@Tag(ControlPlane.TAG)
class ExamplesOnControlPlaneTest {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  static final Path RUNNER_JAR = Path.of("../migrations-image/target/schemagate-runner.jar");
  static final String NS = "shop";
  static final String V1 = "registry.example.com/accounts-migrations:1.0.0";
  static final String V2 = "registry.example.com/accounts-migrations:1.1.0";
  static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void binaries() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
  }

  @Test
  void everyExampleIsAcceptedWithoutWarningsAndTheOperatorMigratesTo7ThenRollsForwardTo8()
      throws Exception {
    ControlPlane cp = ControlPlane.shared();
    assertThat(cp.kubectl("get", "namespace", NS).exitCode())
        .as("namespace shop exists already on the shared control plane: another test uses it")
        .isNotZero();
    List<Path> step1 = yamlFiles(EXAMPLES);
    List<Path> step2 = yamlFiles(EXAMPLES.resolve("roll-forward"));
    assertThat(step1.stream().map(p -> p.getFileName().toString()))
        .containsExactly(
            "00-namespace.yaml",
            "10-postgres.yaml",
            "20-credentials.yaml",
            "30-schemamigration.yaml",
            "40-gated-app.yaml");
    assertThat(step2.stream().map(p -> p.getFileName().toString()))
        .containsExactly("30-schemamigration.yaml", "40-gated-app.yaml");

    try (SandboxCluster cluster =
            SandboxCluster.builder(RUNNER_JAR.toAbsolutePath())
                .controlPlane(cp)
                .bundle(V1, EXAMPLES.resolve("bundle/sql"))
                .bundle(V2, EXAMPLES.resolve("bundle/sql"), EXAMPLES.resolve("roll-forward/sql"))
                .start();
        AppStates app = AppStates.watch(cluster.client())) {
      KubernetesClient client = cluster.client();

      for (Path file : step1) {
        applied(cp, file);
      }
      theNamespaceWarnsAboutPodsRestrictedWouldRefuse(cp);
      awaitAt(client, "7", V1, "registry.example.com/orders-api:1.0.0");
      assertThat(kinds(cp))
          .contains(
              "namespace/shop",
              "service/accounts-db",
              "statefulset.apps/accounts-db",
              "secret/accounts-db",
              "schemamigration.schemagate.io/accounts",
              "deployment.apps/orders-api");
      assertThat(appliedVersions(cluster)).containsExactly("1", "2", "3", "4", "5", "6", "7");

      app.clear();
      for (Path file : step2) {
        applied(cp, file);
      }
      awaitAt(client, "8", V2, "registry.example.com/orders-api:1.1.0");
      assertThat(appliedVersions(cluster)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
      assertThat(app.seen())
          .as("the app of 1.1.0 held by schemagate until the database is at 8")
          .contains(new AppState("8", true, "accounts"));
      assertThat(
              cp.audit(SandboxCluster.OPERATOR_USER).stream()
                  .filter(ControlPlane.AuditEvent::forbidden)
                  .map(Object::toString))
          .as("requests of the operator that RBAC refused")
          .isEmpty();
    } finally {
      cp.kubectl("delete", "namespace", NS, "--wait=false");
    }
  }

  /** kubectl apply -f FILE: accepted, every object created or changed, nothing on stderr. */
  private static void applied(ControlPlane cp, Path file) {
    ControlPlane.Kubectl apply = cp.kubectl("apply", "-f", file.toString());
    assertThat(apply.exitCode()).as(file + ": " + apply.stderr()).isZero();
    assertThat(apply.stderr()).as(file + ": kubectl's warnings").isEmpty();
    assertThat(apply.stdout().lines())
        .as(file.toString())
        .isNotEmpty()
        .allMatch(l -> l.matches("\\S+ (created|configured|unchanged)"), "created or configured");
  }

  /**
   * What makes an empty stderr mean something: in {@code shop}, a pod template that restricted
   * refuses (the example app without its securityContext) is warned about.
   */
  private static void theNamespaceWarnsAboutPodsRestrictedWouldRefuse(ControlPlane cp) {
    String unrestricted =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: unrestricted, namespace: shop}
        spec:
          selector: {matchLabels: {app: unrestricted}}
          template:
            metadata: {labels: {app: unrestricted}}
            spec:
              containers: [{name: api, image: registry.example.com/orders-api:1.0.0}]
        """;
    ControlPlane.Kubectl dryRun =
        cp.kubectl(cp.kubeconfig(), unrestricted, "apply", "--dry-run=server", "-f", "-");
    assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
    assertThat(dryRun.stderr())
        .contains("Warning: would violate PodSecurity \"restricted:latest\"");
  }

  /**
   * Waits until the SchemaMigration is Ready at {@code revision} for its current spec (bundle
   * {@code image}), and the app of {@code appImage}, requiring that revision, runs: not paused, not
   * held.
   */
  private static void awaitAt(
      KubernetesClient client, String revision, String image, String appImage)
      throws InterruptedException {
    await(
        "SchemaMigration shop/accounts Ready at " + revision + " with " + image,
        () -> {
          SchemaMigration sm =
              client.resources(SchemaMigration.class).inNamespace(NS).withName("accounts").get();
          return sm != null
              && image.equals(sm.getSpec().getBundle().getImage())
              && Settle.ready(sm)
              && revision.equals(sm.getStatus().getCurrentRevision())
              && revision.equals(sm.getStatus().getHeadRevision());
        });
    await(
        "orders-api of " + appImage + " released",
        () -> {
          Deployment d = client.apps().deployments().inNamespace(NS).withName("orders-api").get();
          AppState state = AppState.of(d);
          return state.equals(new AppState(revision, false, null))
              && appImage.equals(
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        });
  }

  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(what + " within " + WAIT).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The example's objects as kubectl names them: the namespace, and what is in it. */
  private static List<String> kinds(ControlPlane cp) {
    List<String> names = new java.util.ArrayList<>();
    for (String[] get :
        List.of(
            new String[] {"get", "namespace", NS, "-o", "name"},
            new String[] {"get", "svc,statefulset,secret,smig,deploy", "-n", NS, "-o", "name"})) {
      ControlPlane.Kubectl result = cp.kubectl(get);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      names.addAll(result.stdout().lines().toList());
    }
    return names;
  }

  private static List<String> appliedVersions(SandboxCluster cluster) throws Exception {
    try (var c = cluster.connect("accounts");
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      List<String> versions = new java.util.ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      return versions;
    }
  }

  private static List<Path> yamlFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** What the gate concerns of the app: the revision it requires, paused, and by whom. */
  record AppState(String requires, boolean paused, String pausedBy) {
    static AppState of(Deployment d) {
      Map<String, String> annotations =
          Objects.requireNonNullElse(d.getMetadata().getAnnotations(), Map.of());
      return new AppState(
          annotations.get(SchemaGateApi.REQUIRES_REVISION_ANNOTATION),
          Boolean.TRUE.equals(d.getSpec().getPaused()),
          annotations.get(SchemaGateApi.PAUSED_BY_ANNOTATION));
    }
  }

  /** Every state of the app the API server stored while watched. */
  static final class AppStates implements Watcher<Deployment>, AutoCloseable {
    private final List<AppState> seen = new CopyOnWriteArrayList<>();
    private Watch watch;

    static AppStates watch(KubernetesClient client) {
      AppStates states = new AppStates();
      states.watch =
          client.apps().deployments().inNamespace(NS).withName("orders-api").watch(states);
      return states;
    }

    @Override
    public void eventReceived(Action action, Deployment d) {
      seen.add(AppState.of(d));
    }

    @Override
    public void onClose(WatcherException cause) {}

    List<AppState> seen() {
      return List.copyOf(seen);
    }

    void clear() {
      seen.clear();
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
