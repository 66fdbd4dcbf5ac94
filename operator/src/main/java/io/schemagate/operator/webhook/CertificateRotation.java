package io.schemagate.operator.webhook;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The next content of the webhook's certificate Secret, decided from its current content, the CA
 * bundles of the webhook configuration and the time: one step per check. A new CA and serving
 * certificate are first written as pending, their CA added to the bundle beside the old one ({@link
 * Step#ROTATE}); once the configuration carries the new CA they are served ({@link Step#PROMOTE});
 * once every replica has had time to serve them, or the old CA has expired, the old CA leaves the
 * bundle ({@link Step#DROP_OLD_CA}). Pure: the client and the clock are the caller's.
 */
final class CertificateRotation {
  static final String CA_BUNDLE = "ca.crt";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";
  static final String PENDING_CERT = "pending.crt";
  static final String PENDING_KEY = "pending.key";

  enum Step {
    /** A new CA and certificate replace what is there: nothing usable was. */
    ISSUE,
    /** Step 1: a new CA and certificate, pending; both CAs in the bundle. */
    ROTATE,
    /** Step 2: the pending certificate is served. */
    PROMOTE,
    /** Step 3: CAs that sign no certificate of the Secret leave the bundle. */
    DROP_OLD_CA,
    /** The Secret stays as it is. */
    KEEP
  }

  /**
   * What the Secret holds next.
   *
   * @param data the Secret's content, PEM text by key
   * @param promotedAt when the served certificate was promoted (null: issued, never rotated)
   * @param why for the log; never key material
   */
  record Plan(Step step, Map<String, String> data, Instant promotedAt, String why) {}

  private final Supplier<WebhookCertificates.Issued> issuer;
  private final Duration settle;

  /**
   * @param issuer a new CA and serving certificate
   * @param settle how long after a promotion the old CA stays trusted, for replicas that have not
   *     re-read the Secret yet
   */
  CertificateRotation(Supplier<WebhookCertificates.Issued> issuer, Duration settle) {
    this.issuer = issuer;
    this.settle = settle;
  }

  /**
   * @param data the Secret's content, PEM text by key
   * @param promotedAt the Secret's record of the last promotion, or null
   * @param configurationBundles the PEM caBundle of each webhook of the configuration; null when
   *     the configuration does not exist
   */
  Plan next(
      Map<String, String> data,
      Instant promotedAt,
      List<String> configurationBundles,
      Instant now) {
    Optional<X509Certificate> served = servedCertificate(data, CERT, KEY);
    List<X509Certificate> bundle = certificatesOrEmpty(data.get(CA_BUNDLE));
    if (served.isEmpty()) {
      boolean empty = blank(data.get(CERT)) && blank(data.get(KEY));
      return issue(
          empty
              ? "the Secret holds no certificate"
              : "the Secret's tls.crt and tls.key are not a certificate and its key");
    }
    X509Certificate cert = served.get();
    Optional<X509Certificate> ca = signer(cert, bundle);
    if (ca.isEmpty()) {
      return issue("no CA of the Secret's ca.crt signs its tls.crt");
    }
    if (!now.isBefore(cert.getNotAfter().toInstant())) {
      return issue("its tls.crt expired at " + cert.getNotAfter().toInstant());
    }
    Optional<X509Certificate> pending = servedCertificate(data, PENDING_CERT, PENDING_KEY);
    Optional<X509Certificate> pendingCa = pending.flatMap(p -> signer(p, bundle));
    if (pendingCa.isPresent()) {
      if (configurationBundles == null) {
        return keep(promotedAt, "the webhook configuration does not exist to carry the new CA");
      }
      boolean carried =
          configurationBundles.stream()
              .allMatch(b -> certificatesOrEmpty(b).contains(pendingCa.get()));
      if (!carried) {
        return keep(promotedAt, "the webhook configuration does not carry the new CA yet");
      }
      Map<String, String> next = new LinkedHashMap<>(data);
      next.put(CERT, data.get(PENDING_CERT));
      next.put(KEY, data.get(PENDING_KEY));
      next.remove(PENDING_CERT);
      next.remove(PENDING_KEY);
      return new Plan(
          Step.PROMOTE,
          next,
          now,
          "serving the new certificate (notAfter "
              + pending.get().getNotAfter().toInstant()
              + ") in place of the old (notAfter "
              + cert.getNotAfter().toInstant()
              + ")");
    }
    List<X509Certificate> old = new ArrayList<>(bundle);
    old.remove(ca.get());
    if (!old.isEmpty()) {
      boolean settled = promotedAt == null || !now.isBefore(promotedAt.plus(settle));
      List<X509Certificate> gone =
          old.stream().filter(c -> settled || !now.isBefore(c.getNotAfter().toInstant())).toList();
      if (!gone.isEmpty()) {
        List<X509Certificate> kept = new ArrayList<>(bundle);
        kept.removeAll(gone);
        Map<String, String> next = new LinkedHashMap<>(data);
        next.put(CA_BUNDLE, pem(kept));
        return new Plan(
            Step.DROP_OLD_CA,
            next,
            promotedAt,
            "dropping "
                + gone.size()
                + " old CA(s) (notAfter "
                + gone.stream().map(c -> c.getNotAfter().toInstant().toString()).toList()
                + ") from the bundle; serving the certificate of notAfter "
                + cert.getNotAfter().toInstant());
      }
    }
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    Duration lifetime = Duration.between(notBefore, notAfter);
    Duration left = Duration.between(now, notAfter);
    boolean unusablePending = !blank(data.get(PENDING_CERT)) || !blank(data.get(PENDING_KEY));
    if (left.multipliedBy(3).compareTo(lifetime) >= 0 && !unusablePending) {
      return keep(promotedAt, "the certificate has more than a third of its lifetime left");
    }
    WebhookCertificates.Issued issued = issuer.get();
    List<X509Certificate> trusted =
        new ArrayList<>(
            bundle.stream().filter(c -> now.isBefore(c.getNotAfter().toInstant())).toList());
    trusted.addAll(certificatesOrEmpty(issued.caPem()));
    Map<String, String> next = new LinkedHashMap<>(data);
    next.put(CA_BUNDLE, pem(trusted));
    next.put(PENDING_CERT, issued.certPem());
    next.put(PENDING_KEY, issued.keyPem());
    return new Plan(
        Step.ROTATE,
        next,
        promotedAt,
        (!unusablePending
                ? "the certificate (notAfter "
                    + notAfter
                    + ") has less than a third of its lifetime left"
                : "the pending certificate and key are unusable or signed by no CA of the bundle")
            + "; a new CA and certificate (notAfter "
            + issued.notAfter()
            + ") are pending and both CAs are in the bundle");
  }

  private Plan issue(String why) {
    WebhookCertificates.Issued issued = issuer.get();
    Map<String, String> next = new LinkedHashMap<>();
    next.put(CA_BUNDLE, issued.caPem());
    next.put(CERT, issued.certPem());
    next.put(KEY, issued.keyPem());
    return new Plan(
        Step.ISSUE,
        next,
        null,
        why + "; issued a new CA and certificate (notAfter " + issued.notAfter() + ")");
  }

  private static Plan keep(Instant promotedAt, String why) {
    return new Plan(Step.KEEP, null, promotedAt, why);
  }

  /** The certificate under {@code certKey} if it parses and {@code keyKey} holds its key. */
  static Optional<X509Certificate> servedCertificate(
      Map<String, String> data, String certKey, String keyKey) {
    if (blank(data.get(certKey)) || blank(data.get(keyKey))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          WebhookCertificates.keyAndChain(data.get(certKey), data.get(keyKey)).chain().get(0));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static List<X509Certificate> certificatesOrEmpty(String pem) {
    try {
      return WebhookCertificates.certificates(pem);
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }

  private static Optional<X509Certificate> signer(X509Certificate cert, List<X509Certificate> cas) {
    return cas.stream().filter(ca -> signs(ca, cert)).findFirst();
  }

  private static boolean signs(X509Certificate ca, X509Certificate cert) {
    if (!ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String pem(List<X509Certificate> certs) {
    StringBuilder b = new StringBuilder();
    for (X509Certificate c : certs) {
      try {
        b.append(WebhookCertificates.pem(c));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("a parsed certificate does not encode: " + e, e);
      }
    }
    return b.toString();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
