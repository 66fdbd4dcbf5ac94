package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.schemagate.operator.testing.MovingClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The certificate Secret and its rotation on fabric8's CRUD API server, with a clock the tests
 * move; the real API server calling the webhook through a rotation is {@code
 * WebhookRotationOnControlPlaneTest}'s.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookCertificateKeeperTest {
  static final String NS = "schemagate-system";
  static final String SECRET = "schemagate-webhook-tls";
  static final String CONFIG = "schemagate-webhook";
  static final Duration VALIDITY = Duration.ofDays(30);
  static final Duration INTERVAL = Duration.ofMinutes(1);
  static final WebhookCertificateKeeper.Settings GENERATE =
      WebhookCertificateKeeper.Settings.generate(NS, SECRET, CONFIG, "schemagate-webhook")
          .withValidity(VALIDITY)
          .withCheckInterval(INTERVAL);

  KubernetesMockServer server;
  KubernetesClient client;
  MovingClock clock;

  @BeforeEach
  void installed() {
    clock = new MovingClock(Instant.parse("2026-12-06T00:00:00Z"));
    client.secrets().inNamespace(NS).resource(emptySecret()).create();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(configuration(""))
        .create();
  }

  @Test
  void issuesIntoTheEmptySecretServesItAndPutsTheCaInEveryWebhooksCaBundle() throws Exception {
    WebhookCertificateKeeper keeper = keeper(GENERATE);
    keeper.check();

    Map<String, String> data = data();
    assertThat(data).containsKeys("tls.crt", "tls.key", "ca.crt").doesNotContainKey("pending.crt");
    X509Certificate cert = certs(data.get("tls.crt")).get(0);
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactly(
            "schemagate-webhook.schemagate-system.svc",
            "schemagate-webhook.schemagate-system.svc.cluster.local");
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(VALIDITY));
    cert.verify(certs(data.get("ca.crt")).get(0).getPublicKey());
    assertThat(keeper.served()).contains(cert);
    assertThat(bundles()).containsExactly(data.get("ca.crt"), data.get("ca.crt"));
    assertThat(secret().getType()).isEqualTo("kubernetes.io/tls");
  }

  @Test
  void aSecondReplicaServesTheSameCertificateAndIssuesNothing() {
    WebhookCertificateKeeper first = keeper(GENERATE);
    first.check();
    String version = secret().getMetadata().getResourceVersion();

    WebhookCertificateKeeper second = keeper(GENERATE);
    second.check();

    assertThat(second.served()).isEqualTo(first.served()).isPresent();
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void rotationKeepsBothCasUntilTheNewCertificateIsServedThenDropsTheOld() throws Exception {
    WebhookCertificateKeeper keeper = keeper(GENERATE);
    WebhookCertificateKeeper replica = keeper(GENERATE);
    keeper.check();
    replica.check();
    X509Certificate oldCert = keeper.served().orElseThrow();
    X509Certificate oldCa = certs(data().get("ca.crt")).get(0);

    clock.advance(Duration.ofDays(19)); // 11 of 30 days left: more than a third
    keeper.check();
    assertThat(data()).doesNotContainKey("pending.crt");

    clock.advance(Duration.ofDays(2)); // 9 days left: step 1
    keeper.check();
    Map<String, String> rotating = data();
    List<X509Certificate> bundle = certs(rotating.get("ca.crt"));
    X509Certificate pending = certs(rotating.get("pending.crt")).get(0);
    assertThat(bundle).hasSize(2).startsWith(oldCa);
    X509Certificate newCa = bundle.get(1);
    pending.verify(newCa.getPublicKey());
    assertThat(rotating.get("tls.crt")).isEqualTo(pem(oldCert));
    assertThat(bundles()).containsOnly(rotating.get("ca.crt"));
    assertThat(keeper.served()).contains(oldCert);

    // Someone re-applies the configuration with the old CA only, before the next check: the
    // new certificate is not served, and the bundle is put back.
    setBundles(pem(oldCa));
    clock.advance(INTERVAL);
    replica.check();
    assertThat(replica.served()).contains(oldCert);
    assertThat(data().get("tls.crt")).isEqualTo(pem(oldCert));
    assertThat(bundles()).containsOnly(rotating.get("ca.crt"));

    clock.advance(INTERVAL); // step 2: the configuration carries the new CA
    replica.check();
    assertThat(replica.served()).contains(pending);
    assertThat(data().get("tls.crt")).isEqualTo(rotating.get("pending.crt"));
    assertThat(data()).doesNotContainKeys("pending.crt", "pending.key");
    assertThat(certs(data().get("ca.crt"))).containsExactly(oldCa, newCa);
    keeper.check(); // the other replica serves what the Secret says
    assertThat(keeper.served()).contains(pending);

    clock.advance(INTERVAL); // one interval on, a replica may not have re-read it yet
    keeper.check();
    assertThat(certs(data().get("ca.crt"))).containsExactly(oldCa, newCa);

    clock.advance(INTERVAL); // step 3
    keeper.check();
    assertThat(certs(data().get("ca.crt"))).containsExactly(newCa);
    assertThat(bundles()).containsOnly(pem(newCa));
    assertThat(keeper.served()).contains(pending);
    replica.check();
    assertThat(replica.served()).contains(pending);
  }

  @Test
  void aCaBundleResetByAnotherAppliesIsRestored() {
    WebhookCertificateKeeper keeper = keeper(GENERATE);
    keeper.check();
    String ca = data().get("ca.crt");

    // Helm or Argo CD apply the chart's configuration again, with no caBundle.
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).delete();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(configuration(""))
        .create();
    keeper.check();

    assertThat(bundles()).containsExactly(ca, ca);
  }

  @Test
  void aCorruptSecretIsIssuedAgainAndTheLogSaysWhy() throws Exception {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder(emptySecret())
                .withStringData(
                    Map.of(
                        "tls.crt",
                            "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n",
                        "tls.key", "garbage",
                        "ca.crt", "garbage"))
                .build())
        .update();
    WebhookCertificateKeeper keeper = keeper(GENERATE);

    String log = stderrOf(keeper::check);

    assertThat(log)
        .contains("WARN")
        .contains("schemagate-system/schemagate-webhook-tls")
        .contains("tls.crt and tls.key are not a certificate and its key")
        .contains("issued a new CA and certificate")
        .doesNotContain("PRIVATE KEY");
    X509Certificate cert = certs(data().get("tls.crt")).get(0);
    assertThat(keeper.served()).contains(cert);
    cert.verify(certs(data().get("ca.crt")).get(0).getPublicKey());
  }

  @Test
  void aMissingSecretIsCreatedAsTypeTls() {
    client.secrets().inNamespace(NS).withName(SECRET).delete();
    WebhookCertificateKeeper keeper = keeper(GENERATE);
    keeper.check();

    assertThat(secret().getType()).isEqualTo("kubernetes.io/tls");
    assertThat(keeper.served()).isPresent();
  }

  @Test
  void aMissingSecretThatMayNotBeCreatedFailsNamingItAndThePermission() {
    client.secrets().inNamespace(NS).withName(SECRET).delete();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/secrets")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("secrets is forbidden")
                .build())
        .always();
    WebhookCertificateKeeper keeper = keeper(GENERATE);

    assertThatThrownBy(keeper::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Secret schemagate-system/schemagate-webhook-tls does not exist")
        .hasMessageContaining("create secrets in namespace schemagate-system");
    assertThat(keeper.served()).isEmpty();
  }

  @Test
  void aConflictingWriteIsReadAgainAndDecidedAgain() {
    server
        .expect()
        .put()
        .withPath("/api/v1/namespaces/" + NS + "/secrets/" + SECRET)
        .andReturn(
            409,
            new StatusBuilder().withCode(409).withReason("Conflict").withMessage("stale").build())
        .once();
    WebhookCertificateKeeper keeper = keeper(GENERATE);
    keeper.check();

    assertThat(keeper.served()).isPresent();
    assertThat(pem(keeper.served().get())).isEqualTo(data().get("tls.crt"));
  }

  @Test
  void withCertManagerItReloadsWhatChangesAndWritesNothing() throws Exception {
    WebhookCertificates.Issued first = issue();
    setSecret(first);
    WebhookCertificateKeeper keeper =
        keeper(
            WebhookCertificateKeeper.Settings.certManager(NS, SECRET).withCheckInterval(INTERVAL));
    discardRequests();

    keeper.start();
    try {
      assertThat(keeper.served().map(X509Certificate::getSerialNumber)).contains(serial(first));
      keeper.check();
      assertOnlyReads();

      WebhookCertificates.Issued renewed = issue();
      setSecret(renewed); // as cert-manager renews
      discardRequests();
      keeper.check();
      assertThat(keeper.served().map(X509Certificate::getSerialNumber)).contains(serial(renewed));
      assertOnlyReads();

      // Garbage in the Secret: the renewed certificate stays served.
      client
          .secrets()
          .inNamespace(NS)
          .resource(
              new SecretBuilder(secret())
                  .withData(Map.of("tls.crt", b64("garbage"), "tls.key", b64("garbage")))
                  .build())
          .update();
      discardRequests();
      assertThatThrownBy(keeper::check)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds no certificate and key to serve");
      assertThat(keeper.served().map(X509Certificate::getSerialNumber)).contains(serial(renewed));
      assertOnlyReads();
    } finally {
      keeper.close();
    }
    assertThat(bundles()).containsOnly("");
  }

  // --- helpers

  /** Forgets the requests the test itself sent. */
  void discardRequests() throws InterruptedException {
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {}
  }

  /** Every request sent since the last look was a read. */
  void assertOnlyReads() throws InterruptedException {
    List<String> written = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!"GET".equals(r.getMethod())) {
        written.add(r.getMethod() + " " + r.getPath());
      }
    }
    assertThat(written).as("requests that are not reads").isEmpty();
  }

  WebhookCertificateKeeper keeper(WebhookCertificateKeeper.Settings settings) {
    return new WebhookCertificateKeeper(client, settings, clock);
  }

  WebhookCertificates.Issued issue() {
    return WebhookCertificates.issue(
        List.of("schemagate-webhook.schemagate-system.svc"), List.of(), clock, VALIDITY);
  }

  void setSecret(WebhookCertificates.Issued issued) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder(secret())
                .withData(
                    Map.of(
                        "tls.crt", b64(issued.certPem()),
                        "tls.key", b64(issued.keyPem()),
                        "ca.crt", b64(issued.caPem())))
                .build())
        .update();
  }

  Secret secret() {
    return client.secrets().inNamespace(NS).withName(SECRET).get();
  }

  Map<String, String> data() {
    Map<String, String> data = new java.util.LinkedHashMap<>();
    secret().getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v))));
    data.values().removeIf(String::isEmpty);
    return data;
  }

  List<String> bundles() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(CONFIG)
        .get()
        .getWebhooks()
        .stream()
        .map(w -> w.getClientConfig().getCaBundle())
        .map(b -> b == null ? "" : new String(Base64.getDecoder().decode(b)))
        .toList();
  }

  void setBundles(String pem) {
    MutatingWebhookConfiguration c =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).get();
    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(b64(pem)));
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(c).update();
  }

  static Secret emptySecret() {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(NS)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", "", "tls.key", ""))
        .build();
  }

  /** The chart's configuration: two webhooks, the caBundle left to the operator. */
  static MutatingWebhookConfiguration configuration(String caBundle) {
    MutatingWebhookConfigurationBuilder b =
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(CONFIG).endMetadata();
    for (String name : List.of("deployments.gate.schemagate.io", "other.gate.schemagate.io")) {
      b.addNewWebhook()
          .withName(name)
          .withAdmissionReviewVersions("v1")
          .withNewClientConfig()
          .withCaBundle(caBundle)
          .withNewService()
          .withNamespace(NS)
          .withName("schemagate-webhook")
          .withPath(WebhookServer.MUTATE_DEPLOYMENTS)
          .endService()
          .endClientConfig()
          .withSideEffects("NoneOnDryRun")
          .endWebhook();
    }
    return b.build();
  }

  static List<X509Certificate> certs(String pem) throws Exception {
    return WebhookCertificates.certificates(pem);
  }

  static String pem(X509Certificate cert) {
    try {
      return WebhookCertificates.pem(cert);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static BigInteger serial(WebhookCertificates.Issued issued) throws Exception {
    return certs(issued.certPem()).get(0).getSerialNumber();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** What slf4j-simple (System.err, looked up on every line) writes while {@code action} runs. */
  static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    original.print(log);
    return log;
  }
}
