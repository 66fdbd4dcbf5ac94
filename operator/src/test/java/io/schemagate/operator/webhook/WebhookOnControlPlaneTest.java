package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.operator.gate.GateAdmission;
import io.schemagate.operator.gate.Hold;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real API server calls the gate's webhook over HTTPS, with the operator's own CA ({@link
 * WebhookCertificates}) in the configuration's {@code caBundle}: a gated Deployment created before
 * its SchemaMigration is stored paused and no ReplicaSet starts; an ungated one is untouched (the
 * object selector); a server-side dry run is mutated alike and stores nothing; with the webhook
 * down, creating a gated Deployment fails closed with a clear message.
 */
@Tag(ControlPlane.TAG)
class WebhookOnControlPlaneTest {
  static final String NS = "gate-webhook";
  static final String OPERATOR = "system:serviceaccount:schemagate-system:schemagate-operator";

  static ControlPlane cluster;
  static KubernetesClient admin;
  static WebhookServer webhook;
  static final List<GateAdmission.Outcome> outcomes = new CopyOnWriteArrayList<>();
  static String configName;
  static String caPem;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    admin = cluster.adminClient();
    RealMigrations.namespace(admin, NS);
    // The operator's own CA and serving certificate, naming IP 127.0.0.1.
    WebhookCertificates.Issued issued =
        WebhookCertificates.issue(
            List.of(),
            List.of("127.0.0.1"),
            java.time.Clock.systemUTC(),
            java.time.Duration.ofDays(1));
    caPem = issued.caPem();
    SSLContext tls = WebhookCertificates.serverContext(issued.certPem(), issued.keyPem());
    KubernetesSerialization json = new KubernetesSerialization();
    // No SchemaMigration exists: every gated Deployment's gate is shut.
    GateAdmission admission = new GateAdmission(OPERATOR, (ns, name) -> null, json);
    webhook =
        WebhookServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            tls,
            admission,
            json,
            outcomes::add);
    configName = "schemagate-" + NS;
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(configuration(configName, webhook.port(), caPem))
        .create();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(configName)
          .delete();
      admin.close();
    }
    if (webhook != null) {
      webhook.close();
    }
  }

  @Test
  void aGatedDeploymentCreatedBeforeItsMigrationIsStoredPausedAndNoReplicaSetStarts()
      throws Exception {
    Deployment stored = createWhenWebhookServes(deployment("web", "accounts"));

    assertThat(stored.getSpec().getPaused()).isTrue();
    assertThat(stored.getMetadata().getAnnotations())
        .containsEntry(SchemaGateApi.PAUSED_BY_ANNOTATION, "accounts");
    // The Deployment controller has seen it (observedGeneration) and started nothing.
    awaitTrue(
        "the Deployment controller to observe web",
        () -> {
          Deployment d = admin.apps().deployments().inNamespace(NS).withName("web").get();
          return d.getStatus() != null && d.getStatus().getObservedGeneration() != null;
        });
    assertThat(admin.apps().replicaSets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(outcomes)
        .anySatisfy(
            o -> {
              assertThat(o.name()).isEqualTo("web");
              assertThat(o.hold()).isEqualTo(Hold.PLACE);
              assertThat(o.dryRun()).isFalse();
            });
  }

  @Test
  void anUngatedDeploymentIsNotSentToTheWebhookAndRollsOut() {
    Deployment stored =
        admin.apps().deployments().inNamespace(NS).resource(deployment("plain", null)).create();
    assertThat(stored.getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
    assertThat(outcomes).noneSatisfy(o -> assertThat(o.name()).isEqualTo("plain"));
    awaitTrue(
        "a ReplicaSet of plain",
        () ->
            !admin
                .apps()
                .replicaSets()
                .inNamespace(NS)
                .withLabel("app", "plain")
                .list()
                .getItems()
                .isEmpty());
  }

  @Test
  void aServerSideDryRunIsMutatedAlikeStoresNothingAndIsFlagged() throws Exception {
    Deployment answered = createWhenWebhookServes(deployment("dry", "accounts"), true);
    assertThat(answered.getSpec().getPaused()).isTrue();
    assertThat(admin.apps().deployments().inNamespace(NS).withName("dry").get()).isNull();
    assertThat(outcomes)
        .filteredOn(o -> "dry".equals(o.name()))
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.dryRun()).isTrue());
  }

  @Test
  void withTheWebhookDownAGatedDeploymentIsRefusedClearlyAndAnUngatedOneIsNot() throws Exception {
    String down = NS + "-down";
    RealMigrations.namespace(admin, down);
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    MutatingWebhookConfiguration config = configuration("schemagate-" + down, closedPort, caPem);
    config
        .getWebhooks()
        .get(0)
        .getNamespaceSelector()
        .getMatchLabels()
        .put(RealMigrations.TEST_LABEL, down);
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();
    try {
      awaitTrue(
          "the API server to call the unreachable webhook",
          () -> {
            try {
              admin
                  .apps()
                  .deployments()
                  .inNamespace(down)
                  .resource(deployment("probe", "accounts"))
                  .dryRun()
                  .create();
              return false;
            } catch (KubernetesClientException e) {
              return true;
            }
          });
      assertThatThrownBy(
              () ->
                  admin
                      .apps()
                      .deployments()
                      .inNamespace(down)
                      .resource(deployment("web", "accounts"))
                      .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("failed calling webhook \"deployments.gate.schemagate.io\"");
      assertThat(admin.apps().deployments().inNamespace(down).withName("web").get()).isNull();
      assertThat(
              admin
                  .apps()
                  .deployments()
                  .inNamespace(down)
                  .resource(deployment("plain", null))
                  .create())
          .isNotNull();
    } finally {
      admin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("schemagate-" + down)
          .delete();
    }
  }

  // --- helpers

  /**
   * Creates it; a newly registered webhook configuration takes the API server a moment to load, so
   * a create that was not sent to the webhook is deleted and tried again.
   */
  static Deployment createWhenWebhookServes(Deployment d) throws Exception {
    return createWhenWebhookServes(d, false);
  }

  static Deployment createWhenWebhookServes(Deployment d, boolean dryRun) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      var op = admin.apps().deployments().inNamespace(NS).resource(d);
      Deployment stored = dryRun ? op.dryRun().create() : op.create();
      if (Boolean.TRUE.equals(stored.getSpec().getPaused()) || System.nanoTime() > deadline) {
        return stored;
      }
      if (!dryRun) {
        admin
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName(d.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
        awaitTrue(
            "the Deployment to be deleted",
            () ->
                admin.apps().deployments().inNamespace(NS).withName(d.getMetadata().getName()).get()
                    == null);
      }
      Thread.sleep(200);
    }
  }

  static Deployment deployment(String name, String gate) {
    return Fixtures.app(null, name, gate, Map.of());
  }

  static MutatingWebhookConfiguration configuration(String name, int port, String caPem) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addNewWebhook()
        .withName("deployments.gate.schemagate.io")
        .withAdmissionReviewVersions("v1")
        .withNewClientConfig()
        .withUrl("https://127.0.0.1:" + port + WebhookServer.MUTATE_DEPLOYMENTS)
        .withCaBundle(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
        .endClientConfig()
        .addNewRule()
        .withApiGroups("apps")
        .withApiVersions("v1")
        .withResources("deployments")
        .withOperations("CREATE", "UPDATE")
        .endRule()
        .withNewObjectSelector()
        .addNewMatchExpression()
        .withKey(SchemaGateApi.GATE_LABEL)
        .withOperator("Exists")
        .endMatchExpression()
        .endObjectSelector()
        .withNewNamespaceSelector()
        .addToMatchLabels(RealMigrations.TEST_LABEL, NS)
        .endNamespaceSelector()
        .withFailurePolicy("Fail")
        .withSideEffects("NoneOnDryRun")
        .withTimeoutSeconds(5)
        .endWebhook()
        .build();
  }

  static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, java.time.Duration.ofSeconds(30), condition::getAsBoolean, done -> done);
  }
}
