package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class WebhookCertificatesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void theServingCertificateIsSignedByTheCaForTheServicesNames() throws Exception {
    WebhookCertificates.Issued issued =
        WebhookCertificates.issue(
            List.of(
                "schemagate-webhook.schemagate-system.svc",
                "schemagate-webhook.schemagate-system.svc.cluster.local"),
            List.of(),
            CLOCK,
            Duration.ofDays(365));

    X509Certificate ca = WebhookCertificates.certificates(issued.caPem()).get(0);
    X509Certificate cert = WebhookCertificates.certificates(issued.certPem()).get(0);
    cert.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactly(
            "schemagate-webhook.schemagate-system.svc",
            "schemagate-webhook.schemagate-system.svc.cluster.local");
    assertThat(issued.notAfter()).isEqualTo(Instant.parse("2027-12-06T00:00:00Z"));
    assertThat(cert.getNotBefore().toInstant()).isBefore(CLOCK.instant());
    assertThat(issued.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
  }

  @Test
  void aClientTrustingTheCaTalksToTheServerAndOneTrustingAnotherCaDoesNot() throws Exception {
    WebhookCertificates.Issued issued =
        WebhookCertificates.issue(
            List.of("localhost"), List.of("127.0.0.1"), Clock.systemUTC(), Duration.ofHours(1));
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(
            WebhookCertificates.serverContext(issued.certPem(), issued.keyPem())));
    server.createContext(
        "/",
        e -> {
          e.sendResponseHeaders(200, 2);
          e.getResponseBody().write("ok".getBytes());
          e.close();
        });
    server.start();
    try {
      URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
      HttpResponse<String> r =
          client(issued.caPem())
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("ok");

      String otherCa =
          WebhookCertificates.issue(
                  List.of("localhost"), List.of(), Clock.systemUTC(), Duration.ofHours(1))
              .caPem();
      assertThatThrownBy(
              () ->
                  client(otherCa)
                      .send(
                          HttpRequest.newBuilder(uri).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nonsenseIsRefusedWithAReason() {
    assertThatThrownBy(
            () -> WebhookCertificates.issue(List.of(), List.of(), CLOCK, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookCertificates.serverContext("not a pem", "nor this"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no certificate");
  }

  static HttpClient client(String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", WebhookCertificates.certificates(caPem).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }
}
