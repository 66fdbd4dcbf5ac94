package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.operator.gate.GateAdmission;
import io.schemagate.operator.testing.MovingClock;
import io.schemagate.operator.testing.OperatorRbac;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real API server calls the webhook through a whole rotation of its certificate, kept by {@link
 * WebhookCertificateKeeper} in a Secret the installer created empty, with a clock moved instead of
 * waiting months: before, between step 1 (both CAs in the caBundle) and step 2 (the new certificate
 * served), and after step 3 (the old CA dropped), a gated Deployment is created and held by the
 * webhook, and the server was never restarted.
 */
@Tag(ControlPlane.TAG)
class WebhookRotationOnControlPlaneTest {
  static final String NS = "gate-webhook-rotation";
  static final String SECRET = "schemagate-webhook-tls";
  static final String CONFIG = "schemagate-" + NS;
  static final String OPERATOR = "system:serviceaccount:schemagate-system:schemagate-operator";

  /** The keeper's account, with only the rules of docs/security.md. */
  static final String KEEPER = "schemagate-webhook-keeper";

  static final String KEEPER_USER = "system:serviceaccount:" + NS + ":" + KEEPER;
  static final String MISSING = "missing-webhook-tls";

  static ControlPlane cluster;
  static KubernetesClient admin;
  static Path keeperKubeconfig;
  static WebhookServer webhook;
  static final List<GateAdmission.Outcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    admin = cluster.adminClient();
    RealMigrations.namespace(admin, NS);
    keeperKubeconfig = keeperAccount();
  }

  /**
   * A ServiceAccount with the rules docs/security.md gives the keeper in generate mode, without
   * {@code create} (the Secret is created by the installer): {@code get} and {@code update} on the
   * Secret and on the configuration, by name. {@code get} also on {@link #MISSING}, a Secret that
   * does not exist.
   */
  static Path keeperAccount() throws Exception {
    admin
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(KEEPER).endMetadata().build())
        .create();
    admin
        .rbac()
        .roles()
        .inNamespace(NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(KEEPER)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withResourceNames(SECRET)
                .withVerbs("get", "update")
                .endRule()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withResourceNames(MISSING)
                .withVerbs("get")
                .endRule()
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(KEEPER)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", KEEPER)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(KEEPER)
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(KEEPER + "-" + NS)
                .endMetadata()
                .addNewRule()
                .withApiGroups("admissionregistration.k8s.io")
                .withResources("mutatingwebhookconfigurations")
                .withResourceNames(CONFIG)
                .withVerbs("get", "update")
                .endRule()
                .build())
        .create();
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(KEEPER + "-" + NS)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", KEEPER + "-" + NS)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(KEEPER)
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    return cluster.kubeconfigOf(NS, KEEPER);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).delete();
      admin.rbac().clusterRoleBindings().withName(KEEPER + "-" + NS).delete();
      admin.rbac().clusterRoles().withName(KEEPER + "-" + NS).delete();
      admin.close();
    }
    if (webhook != null) {
      webhook.close();
    }
  }

  @Test
  void theApiServerCallsTheWebhookThroughAWholeRotation() throws Exception {
    // As the installer leaves them: the Secret empty, the configuration without a caBundle.
    admin
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", "", "tls.key", ""))
                .build())
        .create();
    // The API server checks validity against the real time; the keeper's clock starts 300 days
    // back, so that every certificate it issues while it moves on is valid now.
    MovingClock clock = new MovingClock(Instant.now().minus(Duration.ofDays(300)));
    Duration interval = Duration.ofMinutes(1);
    KubernetesClient asKeeper = OperatorRbac.client(keeperKubeconfig, "rotation");
    WebhookCertificateKeeper keeper =
        new WebhookCertificateKeeper(
            asKeeper,
            WebhookCertificateKeeper.Settings.generate(NS, SECRET, CONFIG, "schemagate-webhook")
                .withIps(List.of("127.0.0.1"))
                .withCheckInterval(interval),
            clock);
    KubernetesSerialization json = new KubernetesSerialization();
    webhook =
        WebhookServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            keeper.sslContext(),
            new GateAdmission(OPERATOR, (ns, name) -> null, json),
            json,
            outcomes::add);
    MutatingWebhookConfiguration config =
        WebhookOnControlPlaneTest.configuration(CONFIG, webhook.port(), "");
    config
        .getWebhooks()
        .get(0)
        .getNamespaceSelector()
        .getMatchLabels()
        .put(RealMigrations.TEST_LABEL, NS);
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();

    keeper.check(); // issues into the empty Secret and sets the caBundle
    X509Certificate first = keeper.served().orElseThrow();
    assertThat(caBundle()).hasSize(1);
    assertHeld(createWhenWebhookServes("before"));

    clock.advance(Duration.ofDays(250)); // 115 of 365 days left: step 1
    keeper.check();
    List<X509Certificate> bundle = caBundle();
    assertThat(bundle).hasSize(2);
    X509Certificate oldCa = bundle.get(0);
    X509Certificate newCa = bundle.get(1);
    assertThat(keeper.served()).contains(first);
    assertHeld(createWhenWebhookServes("between"));

    clock.advance(interval); // step 2: the configuration carries the new CA
    keeper.check();
    X509Certificate second = keeper.served().orElseThrow();
    assertThat(second).isNotEqualTo(first);
    second.verify(newCa.getPublicKey());
    assertThat(caBundle()).containsExactly(oldCa, newCa);
    assertHeld(createWhenWebhookServes("promoted"));

    clock.advance(interval.multipliedBy(2)); // step 3: every replica has had time to re-read
    keeper.check();
    assertThat(caBundle()).containsExactly(newCa);
    assertThat(keeper.served()).contains(second);
    assertThat(second.getIssuerX500Principal()).isEqualTo(newCa.getSubjectX500Principal());
    assertHeld(createWhenWebhookServes("after"));
    // A new connection trusting only the configuration's caBundle gets the new certificate.
    String bundlePem = WebhookCertificates.pem(newCa);
    assertThat(
            ReloadableTlsContextTest.peerSerial(
                URI.create("https://127.0.0.1:" + webhook.port() + "/"), bundlePem))
        .isEqualTo(second.getSerialNumber());
    asKeeper.close();

    // The rules of docs/security.md were enough, and every one of them was used.
    List<ControlPlane.AuditEvent> requests =
        cluster.audit(KEEPER_USER).stream()
            .filter(e -> "rotation".equals(e.userAgent()) && e.resource() != null)
            .toList();
    assertThat(requests).isNotEmpty().noneMatch(e -> e.code() == 401 || e.forbidden());
    assertThat(requests)
        .extracting(e -> e.verb() + " " + e.resource() + " " + e.name())
        .containsOnly(
            "get secrets " + SECRET,
            "update secrets " + SECRET,
            "get mutatingwebhookconfigurations " + CONFIG,
            "update mutatingwebhookconfigurations " + CONFIG)
        .contains(
            "get secrets " + SECRET,
            "update secrets " + SECRET,
            "get mutatingwebhookconfigurations " + CONFIG,
            "update mutatingwebhookconfigurations " + CONFIG);
  }

  @Test
  void withoutTheSecretAndWithoutCreateTheKeeperSaysWhatIsMissing() {
    try (KubernetesClient asKeeper = OperatorRbac.client(keeperKubeconfig, "missing")) {
      WebhookCertificateKeeper keeper =
          new WebhookCertificateKeeper(
              asKeeper,
              WebhookCertificateKeeper.Settings.generate(NS, MISSING, CONFIG, "schemagate-webhook"),
              java.time.Clock.systemUTC());

      assertThatThrownBy(keeper::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "the webhook's certificate Secret "
                  + NS
                  + "/"
                  + MISSING
                  + " does not exist and the operator may not create it (RBAC: create secrets in"
                  + " namespace "
                  + NS
                  + "); create it empty (type Opaque, no data, as operator/deploy/webhook.yaml"
                  + " does), or grant that");
      assertThat(keeper.served()).isEmpty();
    }
    assertThat(cluster.audit(KEEPER_USER))
        .filteredOn(e -> "missing".equals(e.userAgent()) && e.forbidden())
        .extracting(e -> e.verb() + " " + e.resource())
        .containsOnly("create secrets");
  }

  static void assertHeld(Deployment stored) {
    assertThat(stored.getSpec().getPaused()).as(stored.getMetadata().getName() + " held").isTrue();
    assertThat(stored.getMetadata().getAnnotations())
        .containsEntry(SchemaGateApi.PAUSED_BY_ANNOTATION, "accounts");
    assertThat(outcomes)
        .anySatisfy(o -> assertThat(o.name()).isEqualTo(stored.getMetadata().getName()));
  }

  List<X509Certificate> caBundle() throws Exception {
    MutatingWebhookConfiguration c =
        admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).get();
    String pem =
        new String(
            Base64.getDecoder().decode(c.getWebhooks().get(0).getClientConfig().getCaBundle()),
            StandardCharsets.US_ASCII);
    return WebhookCertificates.certificates(pem);
  }

  /**
   * Creates a gated Deployment; the API server takes a moment to load a changed webhook
   * configuration, so one that was not sent to the webhook is deleted and created again.
   */
  static Deployment createWhenWebhookServes(String name) throws Exception {
    Deployment d = WebhookOnControlPlaneTest.deployment(name, "accounts");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Deployment stored = admin.apps().deployments().inNamespace(NS).resource(d).create();
      if (Boolean.TRUE.equals(stored.getSpec().getPaused()) || System.nanoTime() > deadline) {
        return stored;
      }
      admin.apps().deployments().inNamespace(NS).withName(name).withGracePeriod(0).delete();
      WebhookOnControlPlaneTest.awaitTrue(
          "the Deployment to be deleted",
          () -> admin.apps().deployments().inNamespace(NS).withName(name).get() == null);
      Thread.sleep(200);
    }
  }
}
