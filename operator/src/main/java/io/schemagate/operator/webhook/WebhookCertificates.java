package io.schemagate.operator.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's TLS when cert-manager does not provide it: a CA of the operator's own and a serving
 * certificate it signs, for the webhook Service's DNS names (and IPs, for tests on loopback), as
 * PEM: what the operator keeps in its one Secret ({@code ca.crt}, {@code tls.crt}, {@code tls.key})
 * and puts in the webhook configuration's {@code caBundle}. EC P-256 keys, SHA-256 signatures.
 */
public final class WebhookCertificates {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private WebhookCertificates() {}

  /**
   * A CA and a serving certificate, PEM encoded.
   *
   * @param caPem the CA's certificate: the {@code caBundle}
   * @param certPem the serving certificate, signed by the CA
   * @param keyPem the serving certificate's private key (PKCS #8)
   * @param notAfter when the serving certificate expires
   */
  public record Issued(String caPem, String certPem, String keyPem, Instant notAfter) {}

  /**
   * Issues a new CA and a serving certificate for {@code dnsNames} and {@code ips}, valid from a
   * minute ago (clock skew) for {@code validity}.
   */
  public static Issued issue(
      List<String> dnsNames, List<String> ips, Clock clock, Duration validity) {
    if (dnsNames.isEmpty() && ips.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs a DNS name or an IP");
    }
    try {
      Instant from = clock.instant().minus(Duration.ofMinutes(1));
      Instant until = clock.instant().plus(validity);
      KeyPair caKeys = ecKeys();
      // The issue time in the name tells the CAs of a rotation apart, in the bundle and in logs.
      X500Name caName =
          new X500Name(
              "CN=schemagate-webhook-ca@" + clock.instant().truncatedTo(ChronoUnit.SECONDS));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
              caName, serial(), Date.from(from), Date.from(until), caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCert = sign(ca, caKeys.getPrivate());

      KeyPair keys = ecKeys();
      String cn = dnsNames.isEmpty() ? ips.get(0) : dnsNames.get(0);
      X509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(),
              Date.from(from),
              Date.from(until),
              new X500Name("CN=" + cn),
              keys.getPublic());
      leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      leaf.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      for (String ip : ips) {
        InetAddress.getByName(ip); // a literal: says now if it is not one
        names.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      leaf.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      leaf.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(leaf, caKeys.getPrivate());
      return new Issued(
          pem("CERTIFICATE", caCert.getEncoded()),
          pem("CERTIFICATE", cert.getEncoded()),
          pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
          cert.getNotAfter().toInstant());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the webhook's certificate: " + e, e);
    }
  }

  /**
   * A private key and the certificate chain it serves.
   *
   * @param key the key of the chain's first certificate
   * @param chain the serving certificate, then any intermediates
   */
  public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {}

  /**
   * Reads a serving certificate (then any chain) and its private key (PKCS #8, PKCS #1 or SEC 1:
   * cert-manager writes either), and checks that the key is the certificate's. Input that does not
   * parse or does not match is refused with {@link IllegalArgumentException}, whose message never
   * holds key material.
   */
  public static KeyAndChain keyAndChain(String certPem, String keyPem) {
    List<X509Certificate> chain;
    try {
      chain = certificates(certPem);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the certificate does not parse: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate in the PEM");
    }
    PrivateKey key = privateKey(keyPem);
    if (!matches(key, chain.get(0))) {
      throw new IllegalArgumentException(
          "the private key is not the key of the certificate "
              + chain.get(0).getSubjectX500Principal());
    }
    return new KeyAndChain(key, List.copyOf(chain));
  }

  /** A TLS context serving {@code certPem} (then any chain) with {@code keyPem}. */
  public static SSLContext serverContext(String certPem, String keyPem) {
    KeyAndChain served = keyAndChain(certPem, keyPem);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "webhook", served.key(), password, served.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot serve this certificate and key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(String keyPem) {
    Object read;
    try (PEMParser parser = new PEMParser(new StringReader(keyPem == null ? "" : keyPem))) {
      read = parser.readObject();
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle's message may quote the input: not logged, it could be a key.
      throw new IllegalArgumentException("the private key's PEM does not parse");
    }
    PrivateKeyInfo info =
        read instanceof PrivateKeyInfo i
            ? i
            : read instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : null;
    if (info != null) {
      // The JDK's own key factories: Bouncy Castle's converter would ask for "ECDSA", which only
      // its provider (not installed) has.
      String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
      String algorithm =
          switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default ->
                throw new IllegalArgumentException(
                    "the private key's algorithm " + oid + " is not served");
          };
      try {
        return KeyFactory.getInstance(algorithm)
            .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException(
            "the " + algorithm + " private key does not parse: " + e.getClass().getSimpleName());
      }
    }
    throw new IllegalArgumentException(
        "no unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY in the PEM");
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = "schemagate".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The certificates of a PEM text, in order. */
  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    if (pem == null) {
      return certs;
    }
    List<byte[]> blocks;
    try {
      blocks = blocks(pem, "CERTIFICATE");
    } catch (IllegalArgumentException e) {
      throw new CertificateException("a CERTIFICATE block is not base64", e);
    }
    for (byte[] der : blocks) {
      certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
    }
    return certs;
  }

  private static List<byte[]> blocks(String pem, String type) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        out.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    return out;
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    var holder = b.build(signer);
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** One certificate as PEM. */
  static String pem(X509Certificate cert) throws CertificateEncodingException {
    return pem("CERTIFICATE", cert.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
