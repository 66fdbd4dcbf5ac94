package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ReloadableTlsContextTest {

  @Test
  void aNewConnectionGetsTheNewCertificateWithoutRestartingTheServer() throws Exception {
    WebhookCertificates.Issued first = issue();
    WebhookCertificates.Issued second = issue();
    ReloadableTlsContext tls = new ReloadableTlsContext();
    tls.update(first.certPem(), first.keyPem());
    HttpsServer server = serve(tls.sslContext());
    try {
      URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
      assertThat(peerSerial(uri, first.caPem(), second.caPem())).isEqualTo(serial(first));

      tls.update(second.certPem(), second.keyPem());

      assertThat(peerSerial(uri, first.caPem(), second.caPem())).isEqualTo(serial(second));
      assertThat(tls.served()).map(X509Certificate::getSerialNumber).contains(serial(second));
      // A client that trusts only the old CA is now refused by the same, still running server.
      assertThatThrownBy(() -> peerSerial(uri, first.caPem()))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAndTheOldOneKeepsServing() throws Exception {
    WebhookCertificates.Issued first = issue();
    WebhookCertificates.Issued other = issue();
    ReloadableTlsContext tls = new ReloadableTlsContext();
    tls.update(first.certPem(), first.keyPem());

    assertThatThrownBy(() -> tls.update(other.certPem(), first.keyPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the key of the certificate")
        .hasMessageNotContaining("PRIVATE KEY-----");
    assertThatThrownBy(() -> tls.update(other.certPem(), "-----BEGIN PRIVATE KEY-----\nAAAA\n"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(tls.served()).map(X509Certificate::getSerialNumber).contains(serial(first));
  }

  @Test
  void withNothingToServeHandshakesFail() throws Exception {
    ReloadableTlsContext tls = new ReloadableTlsContext();
    HttpsServer server = serve(tls.sslContext());
    try {
      URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
      assertThat(tls.served()).isEmpty();
      assertThatThrownBy(() -> peerSerial(uri, issue().caPem()))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void servesTheKeyFormatsCertManagerWrites() throws Exception {
    // cert-manager's default: RSA with a PKCS #1 key; with ECDSA, a SEC 1 key.
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaKeys = rsa.generateKeyPair();
    String rsaCert = selfSigned(rsaKeys, "SHA256withRSA");
    String rsaKey = traditional(rsaKeys.getPrivate());
    assertThat(rsaKey).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    WebhookCertificates.Issued ec = issue();
    String ecKey = sec1(WebhookCertificates.keyAndChain(ec.certPem(), ec.keyPem()).key());
    assertThat(ecKey).startsWith("-----BEGIN EC PRIVATE KEY-----");

    ReloadableTlsContext tls = new ReloadableTlsContext();
    tls.update(rsaCert, rsaKey);
    HttpsServer server = serve(tls.sslContext());
    try {
      URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
      assertThat(peerSerial(uri, rsaCert, ec.caPem()))
          .isEqualTo(WebhookCertificates.certificates(rsaCert).get(0).getSerialNumber());
      tls.update(ec.certPem(), ecKey);
      assertThat(peerSerial(uri, rsaCert, ec.caPem())).isEqualTo(serial(ec));
    } finally {
      server.stop(0);
    }
  }

  /** A self-signed serving certificate for localhost, PEM. */
  static String selfSigned(KeyPair keys, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=localhost");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plusSeconds(3600)),
            name,
            keys.getPublic());
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    return WebhookCertificates.pem(cert);
  }

  /**
   * An EC key as Go's {@code x509.MarshalECPrivateKey} (cert-manager) writes it: SEC 1 with the
   * named curve and the public key.
   */
  static String sec1(PrivateKey key) throws Exception {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey full =
        new ECPrivateKey(
            256,
            inner.getKey(),
            inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
    return "-----BEGIN EC PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(full.getEncoded())
        + "\n-----END EC PRIVATE KEY-----\n";
  }

  /** An RSA key as OpenSSL's traditional PEM: PKCS #1. */
  static String traditional(PrivateKey key) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(key);
    }
    return out.toString();
  }

  static WebhookCertificates.Issued issue() {
    return WebhookCertificates.issue(
        List.of("localhost"), List.of("127.0.0.1"), Clock.systemUTC(), Duration.ofHours(1));
  }

  static BigInteger serial(WebhookCertificates.Issued issued) throws Exception {
    return WebhookCertificates.certificates(issued.certPem()).get(0).getSerialNumber();
  }

  static HttpsServer serve(SSLContext tls) throws Exception {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        e -> {
          e.sendResponseHeaders(200, 2);
          e.getResponseBody().write("ok".getBytes());
          e.close();
        });
    server.start();
    return server;
  }

  /**
   * The serial of the certificate the server presents on a new connection: a new client, with a TLS
   * context (and so a session cache) of its own, trusting {@code caPems}.
   */
  static BigInteger peerSerial(URI uri, String... caPems) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < caPems.length; i++) {
      trust.setCertificateEntry("ca" + i, WebhookCertificates.certificates(caPems[i]).get(0));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .sslContext(ctx)
            .build()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    X509Certificate peer = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
    return peer.getSerialNumber();
  }
}
