package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.operator.gate.GateAdmission;
import io.schemagate.operator.testing.MovingClock;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

  static KubernetesClient admin;
  static WebhookServer webhook;
  static final List<GateAdmission.Outcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    admin = ControlPlane.shared().adminClient();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .addToLabels("schemagate.io/test", NS)
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).delete();
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
    WebhookCertificateKeeper keeper =
        new WebhookCertificateKeeper(
            admin,
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
        .put("schemagate.io/test", NS);
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
