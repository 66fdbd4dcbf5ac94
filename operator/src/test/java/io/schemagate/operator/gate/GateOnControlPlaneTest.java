package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.OperatorRbac;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.operator.webhook.MigrationCache;
import io.schemagate.operator.webhook.WebhookCertificates;
import io.schemagate.operator.webhook.WebhookServer;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.cluster.PodRunner;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole gate on a real control plane: the operator as its ServiceAccount (the reconcilers), the
 * webhook over HTTPS with the configuration of {@code operator/deploy/webhook.yaml} (only its
 * address, CA and namespace selector changed for the test), Kubernetes' own Deployment, ReplicaSet
 * and Job controllers, and the kubelet stand-in as the node (a bundle image tagged {@code :N}
 * migrates to revision N, {@code :broken} fails; app pods are Running and Ready).
 */
@Tag(ControlPlane.TAG)
class GateOnControlPlaneTest {
  static final String NS = "gate-e2e";
  static final Duration SOON = Duration.ofSeconds(60);

  static ControlPlane cluster;
  static KubernetesClient admin;
  static KubernetesClient operatorClient;
  static Operator operator;
  static WebhookServer webhook;
  static MigrationCache migrations;
  static ClusterStandIn node;
  static final GateCounters counters = new GateCounters();
  static MutatingWebhookConfiguration shipped;
  static String configName;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    cluster.installCrd();
    admin = cluster.adminClient();
    RealMigrations.namespace(admin, NS);
    admin
        .secrets()
        .inNamespace(NS)
        .resource(Fixtures.credentials(NS, "orders-db", "app", "s3cret"))
        .create();
    OperatorRbac rbac = OperatorRbac.committed();
    Path kubeconfig = rbac.install(cluster);
    operatorClient = OperatorRbac.client(kubeconfig, "schemagate-gate-test");

    CannedPods runner =
        new CannedPods(
            pod -> {
              String image = pod.getSpec().getContainers().get(0).getImage();
              String tag = image.substring(image.lastIndexOf(':') + 1);
              return tag.equals("broken")
                  ? CannedPods.Outcome.failed(
                      1, Fixtures.failed("MigrationFailed", "V9__broken.sql line 1: boom"))
                  : CannedPods.Outcome.succeeded(Fixtures.succeeded(tag, Integer.parseInt(tag)));
            });
    PodRunner pods = pod -> isRunner(pod) ? runner.start(pod) : new PodRunner.NotRun();
    node = ClusterStandIn.node(admin, "gate-node", pods, Duration.ofSeconds(2), Set.of(NS));

    KubernetesSerialization json = new KubernetesSerialization();
    GateSignals signals =
        new GateSignals(new EventRecorder(operatorClient, Clock.systemUTC()), counters);
    migrations = MigrationCache.start(operatorClient, Set.of(NS), Duration.ofSeconds(30));
    WebhookCertificates.Issued tls =
        WebhookCertificates.issue(
            List.of(), List.of("127.0.0.1"), Clock.systemUTC(), Duration.ofDays(1));
    webhook =
        WebhookServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            WebhookCertificates.serverContext(tls.certPem(), tls.keyPem()),
            new GateAdmission(rbac.user(), migrations, json),
            json,
            signals::admitted);

    shipped = shippedConfiguration();
    MutatingWebhookConfiguration config = shippedConfiguration();
    configName = config.getMetadata().getName() + "-" + NS;
    config.getMetadata().setName(configName);
    MutatingWebhook hook = config.getWebhooks().get(0);
    hook.setClientConfig(
        new WebhookClientConfigBuilder()
            .withUrl("https://127.0.0.1:" + webhook.port() + WebhookServer.MUTATE_DEPLOYMENTS)
            .withCaBundle(
                Base64.getEncoder().encodeToString(tls.caPem().getBytes(StandardCharsets.UTF_8)))
            .build());
    // Only this test's namespace: other tests share the control plane.
    hook.setNamespaceSelector(
        new LabelSelectorBuilder().addToMatchLabels(RealMigrations.TEST_LABEL, NS).build());
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();
    awaitWebhookServes();

    operator =
        SchemaGateOperator.builder(
                operatorClient,
                new OperatorSettings(
                    Set.of(NS), List.of(), null, 0, OperatorSettings.DEFAULT_RECONCILE_THREADS))
            .gate(signals)
            .build();
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (admin != null) {
      admin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(configName)
          .delete();
      admin.namespaces().withName(NS).delete();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (migrations != null) {
      migrations.close();
    }
    if (node != null) {
      node.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
  }

  @Test
  void theShippedConfigurationIsWhatDesignSays() {
    MutatingWebhook hook = shipped.getWebhooks().get(0);
    assertThat(hook.getFailurePolicy()).isEqualTo("Fail");
    assertThat(hook.getSideEffects()).isEqualTo("NoneOnDryRun");
    assertThat(hook.getTimeoutSeconds()).isEqualTo(5);
    assertThat(hook.getClientConfig().getService().getPath())
        .isEqualTo(WebhookServer.MUTATE_DEPLOYMENTS);
    assertThat(hook.getObjectSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo(SchemaGateApi.GATE_LABEL);
              assertThat(e.getOperator()).isEqualTo("Exists");
            });
    assertThat(hook.getNamespaceSelector().getMatchExpressions())
        .singleElement()
        .satisfies(e -> assertThat(e.getValues()).contains(OperatorRbac.NAMESPACE));
    assertThat(hook.getMatchConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getExpression()).contains(OperatorRbac.committed().user()));
  }

  @Test
  void aDeploymentAppliedBeforeItsMigrationIsHeldAtAdmissionWithNoReplicaSetThenRunsReady() {
    Deployment stored = create(Fixtures.app(NS, "orders-web", "orders", required("3")));
    assertThat(RealMigrations.heldBy(stored, "orders")).as("held in the create's answer").isTrue();
    await(
        "the Deployment controller to observe it",
        () -> deployment("orders-web"),
        d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null);
    assertThat(replicaSets("orders-web")).as("no ReplicaSet while held").isEmpty();
    await(
        "a Warning that the migration does not exist",
        () -> reasons("orders-web"),
        r -> r.contains("MigrationNotFound"));

    migrate("orders", "3");
    Deployment running =
        await(
            "orders-web released and its Pod Ready",
            () -> deployment("orders-web"),
            d ->
                !Boolean.TRUE.equals(d.getSpec().getPaused())
                    && d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()));
    assertThat(running.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    assertThat(replicaSets("orders-web")).hasSize(1);
    await("released Events", () -> reasons("orders-web"), r -> r.contains(GateSignals.RELEASED));
    // Held before the migration existed: the migration tells of the hold once it lists it.
    await(
        "the migration's Events",
        () -> reasons("orders"),
        r -> r.containsAll(List.of(GateSignals.HELD, GateSignals.RELEASED)));
  }

  @Test
  void rollForwardHoldsTheNewTemplateWhileTheOldPodsServeUntilTheNewBundleIsApplied() {
    migrate("billing", "3");
    awaitReady("billing");
    create(Fixtures.app(NS, "billing-web", "billing", required("3")));
    await("billing-web Ready", () -> deployment("billing-web"), GateOnControlPlaneTest::readyOne);
    ReplicaSet old = replicaSets("billing-web").get(0);

    // GitOps commits the new app and the new bundle; the app arrives first.
    Deployment updated =
        admin
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("billing-web")
            // As kubectl apply does: a patch, not an update of a copy the Deployment
            // controller's status writes may have made stale.
            .patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                """
                {"metadata":{"annotations":{"%s":"4"}},
                 "spec":{"template":{"spec":{"containers":[
                   {"name":"app","image":"registry.example.com/billing-web:2"}]}}}}
                """
                    .formatted(SchemaGateApi.REQUIRES_REVISION_ANNOTATION));
    assertThat(RealMigrations.heldBy(updated, "billing"))
        .as("held in the update's answer")
        .isTrue();
    await(
        "the Deployment controller to observe the new generation",
        () -> deployment("billing-web"),
        d -> d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration()));
    assertThat(replicaSets("billing-web"))
        .as("no new ReplicaSet while held")
        .extracting(rs -> rs.getMetadata().getName())
        .containsExactly(old.getMetadata().getName());
    assertThat(deployment("billing-web").getStatus().getReadyReplicas())
        .as("the old Pod keeps serving")
        .isEqualTo(1);

    // The new bundle, patched: the operator writes this resource's status meanwhile.
    admin
        .resources(SchemaMigration.class)
        .inNamespace(NS)
        .withName("billing")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"bundle\":{\"image\":\"registry.example.com/orders-migrations:4\"}}}");
    Deployment rolled =
        await(
            "the new template rolled out",
            () -> deployment("billing-web"),
            d ->
                !Boolean.TRUE.equals(d.getSpec().getPaused())
                    && d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas())
                    && readyOne(d));
    assertThat(rolled.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endsWith(":2");
    assertThat(replicaSets("billing-web")).hasSize(2);
  }

  @Test
  void aFailedMigrationKeepsItsDeploymentHeldAndBypassReleasesIt() {
    migrate("ledger", "broken");
    await(
        "ledger Stalled",
        () -> migration("ledger"),
        sm ->
            sm.getStatus() != null && Conditions.isTrue(sm.getStatus().getConditions(), "Stalled"));
    Deployment held = create(Fixtures.app(NS, "ledger-web", "ledger", Map.of()));
    assertThat(RealMigrations.heldBy(held, "ledger")).isTrue();
    SchemaMigration holding =
        await(
            "the status to list it",
            () -> migration("ledger"),
            sm -> sm.getStatus().getGatedDeployments().contains("ledger-web"));
    assertThat(Conditions.find(holding.getStatus().getConditions(), "DeploymentsGated").getStatus())
        .isEqualTo("True");

    // Break-glass: an emergency rollout while the migration is failed.
    Deployment bypassed =
        admin
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("ledger-web")
            // As kubectl annotate does: a patch, not an update of a possibly stale copy.
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\""
                    + SchemaGateApi.BYPASS_ANNOTATION
                    + "\":\"true\"}}}");
    assertThat(bypassed.getSpec().getPaused()).as("released at admission").isNotEqualTo(true);
    assertThat(bypassed.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    await("ledger-web Ready", () -> deployment("ledger-web"), GateOnControlPlaneTest::readyOne);
    await(
        "a GateBypassed Warning",
        () -> reasons("ledger-web"),
        r -> r.contains(GateSignals.BYPASSED));
    await(
        "the status to hold nothing",
        () -> migration("ledger"),
        sm -> sm.getStatus().getGatedDeployments().isEmpty());
    assertThat(counters.count(GateCounters.Kind.BYPASSED, NS, "ledger")).isEqualTo(1);
  }

  @Test
  void aDeploymentAPersonPausedIsNeverUnpaused() {
    migrate("stock", "2");
    Deployment paused = Fixtures.app(NS, "stock-web", "stock", Map.of());
    paused.getSpec().setPaused(true);
    Deployment stored = create(paused);
    assertThat(stored.getMetadata().getAnnotations())
        .as("a person's pause is not claimed")
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    awaitReady("stock");
    // A second Deployment on the same gate is released: the gate is open and was looked at.
    create(Fixtures.app(NS, "stock-worker", "stock", Map.of()));
    await("stock-worker Ready", () -> deployment("stock-worker"), GateOnControlPlaneTest::readyOne);
    Deployment after = deployment("stock-web");
    assertThat(after.getSpec().getPaused()).isTrue();
    assertThat(after.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    assertThat(reasons("stock-web")).doesNotContain(GateSignals.RELEASED);
  }

  @Test
  void aServerSideDryRunChangesNothingAndRecordsNothing() {
    long held = counters.count(GateCounters.Kind.HELD, NS, "inventory");
    ControlPlane.Kubectl dry =
        cluster.kubectl(
            cluster.kubeconfig(),
            admin
                .getKubernetesSerialization()
                .asYaml(Fixtures.app(NS, "inventory-web", "inventory", Map.of())),
            "apply",
            "--dry-run=server",
            "-o",
            "yaml",
            "-f",
            "-");
    assertThat(dry.exitCode()).as(dry.stderr()).isZero();
    assertThat(dry.stdout())
        .contains("paused: true")
        .contains("schemagate.io/paused-by: inventory");
    assertThat(deployment("inventory-web")).isNull();
    // Anything recorded would come from the webhook at once; the other tests' Events show that
    // the sender delivers within this wait.
    sleep(Duration.ofSeconds(2));
    assertThat(reasons("inventory-web")).isEmpty();
    assertThat(reasons("inventory")).isEmpty();
    assertThat(counters.count(GateCounters.Kind.HELD, NS, "inventory")).isEqualTo(held);
  }

  @Test
  void withTheWebhookDownGatedWritesAreRefusedButTheReconcilerStillReleases() {
    create(Fixtures.app(NS, "audit-web", "audit", Map.of()));
    MutatingWebhookConfiguration config =
        admin
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(configName)
            .get();
    String url = config.getWebhooks().get(0).getClientConfig().getUrl();
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    setUrl(url.replace(":" + webhook.port() + "/", ":" + closedPort + "/"));
    try {
      await(
          "the API server to call the unreachable webhook",
          () -> refusedDryRun("probe-down"),
          refused -> refused);
      assertThatThrownBy(
              () ->
                  admin
                      .apps()
                      .deployments()
                      .inNamespace(NS)
                      .resource(Fixtures.app(NS, "audit-api", "audit", Map.of()))
                      .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("failed calling webhook \"gate.schemagate.io\"");
      // The operator's release is not sent to the webhook (matchConditions).
      migrate("audit", "1");
      await(
          "audit-web released by the reconciler",
          () -> deployment("audit-web"),
          d -> !Boolean.TRUE.equals(d.getSpec().getPaused()));
    } finally {
      setUrl(url);
    }
  }

  // --- helpers

  static boolean isRunner(Pod pod) {
    return SchemaGateApi.MANAGED_BY.equals(
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get(SchemaGateApi.MANAGED_BY_LABEL));
  }

  static MutatingWebhookConfiguration shippedConfiguration() {
    try (InputStream in =
        GateOnControlPlaneTest.class.getResourceAsStream(
            "/io/schemagate/operator/deploy/webhook.yaml")) {
      List<HasMetadata> objects = new KubernetesSerialization().unmarshal(in);
      return objects.stream()
          .filter(MutatingWebhookConfiguration.class::isInstance)
          .map(MutatingWebhookConfiguration.class::cast)
          .findFirst()
          .orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void setUrl(String url) {
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configName)
        .edit(
            c -> {
              c.getWebhooks().get(0).getClientConfig().setUrl(url);
              return c;
            });
  }

  /** Whether a gated dry-run create is refused (the webhook unreachable). */
  static boolean refusedDryRun(String name) {
    try {
      admin
          .apps()
          .deployments()
          .inNamespace(NS)
          .resource(Fixtures.app(NS, name, "audit", Map.of()))
          .dryRun()
          .create();
      return false;
    } catch (KubernetesClientException e) {
      return true;
    }
  }

  /** Waits until a gated dry-run create comes back held: the API server calls the webhook. */
  static void awaitWebhookServes() {
    Await.until(
        "the API server to call the webhook",
        SOON,
        () ->
            admin
                .apps()
                .deployments()
                .inNamespace(NS)
                .resource(Fixtures.app(NS, "probe", "probe", Map.of()))
                .dryRun()
                .create(),
        d -> Boolean.TRUE.equals(d.getSpec().getPaused()));
  }

  static Map<String, String> required(String revision) {
    return Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, revision);
  }

  static boolean readyOne(Deployment d) {
    return d != null
        && d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
  }

  static Deployment create(Deployment d) {
    return admin.apps().deployments().inNamespace(NS).resource(d).create();
  }

  static void migrate(String name, String tag) {
    SchemaMigration sm = Fixtures.migration(NS, "orders");
    sm.getMetadata().setName(name);
    // Each on a database of its own: one database and schema has one SchemaMigration.
    sm.getSpec().getDatabase().setUrl("jdbc:postgresql://" + name + "-db." + NS + ":5432/" + name);
    sm.getSpec().getBundle().setImage("registry.example.com/orders-migrations:" + tag);
    admin.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  static void awaitReady(String name) {
    await(
        name + " Ready",
        () -> migration(name),
        sm ->
            sm != null
                && sm.getStatus() != null
                && Conditions.isTrue(sm.getStatus().getConditions(), "Ready"));
  }

  static SchemaMigration migration(String name) {
    return admin.resources(SchemaMigration.class).inNamespace(NS).withName(name).get();
  }

  static Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(NS).withName(name).get();
  }

  static List<ReplicaSet> replicaSets(String app) {
    return admin.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  static List<String> reasons(String name) {
    return admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  static <T> T await(String what, Supplier<T> read, Predicate<T> done) {
    return Await.until(what, SOON, read, t -> t != null && done.test(t));
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
