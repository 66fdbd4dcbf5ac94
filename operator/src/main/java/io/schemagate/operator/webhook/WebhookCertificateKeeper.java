package io.schemagate.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's serving certificate in one named Secret and serves what it holds. In {@link
 * Mode#GENERATE} the operator issues its own CA and certificate into the Secret, rotates them
 * ({@link CertificateRotation}) and keeps the webhook configuration's {@code caBundle} equal to the
 * Secret's {@code ca.crt}; in {@link Mode#CERT_MANAGER} it only reads what cert-manager writes.
 * Every replica polls the Secret with {@code get} (no list or watch on Secrets) and reloads the
 * served certificate when it changes, without a restart.
 */
public final class WebhookCertificateKeeper implements AutoCloseable {
  /** The Secret's annotation recording the last promotion of a rotation (RFC 3339). */
  public static final String PROMOTED_AT_ANNOTATION = "schemagate.io/certificate-promoted-at";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificateKeeper.class);
  private static final int ATTEMPTS = 5;

  /** Who writes the Secret. */
  public enum Mode {
    /** The operator issues, rotates and injects the CA into the webhook configuration. */
    GENERATE,
    /** cert-manager writes the Secret and its CA injector the configuration; the operator reads. */
    CERT_MANAGER
  }

  /**
   * What the keeper keeps.
   *
   * @param mode who writes the Secret
   * @param namespace the Secret's namespace (the operator's)
   * @param secretName the Secret ({@code kubernetes.io/tls} when the operator creates it; an
   *     installer's empty {@code Opaque} one keeps its type)
   * @param configurationName the MutatingWebhookConfiguration whose webhooks get the CA bundle
   *     (GENERATE only; may be null in CERT_MANAGER mode)
   * @param serviceName the webhook's Service: the certificate names {@code
   *     <service>.<namespace>.svc} and {@code <service>.<namespace>.svc.cluster.local}
   * @param ips IP addresses the certificate also names (tests on loopback); usually none
   * @param validity the lifetime of an issued CA and certificate; rotated with a third left
   * @param checkInterval how often the Secret is read; the old CA stays trusted two intervals after
   *     a promotion, so every replica has re-read the Secret before it goes
   */
  public record Settings(
      Mode mode,
      String namespace,
      String secretName,
      String configurationName,
      String serviceName,
      List<String> ips,
      Duration validity,
      Duration checkInterval) {
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

    public Settings {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(secretName, "secretName");
      ips = List.copyOf(ips == null ? List.of() : ips);
      validity = validity == null ? DEFAULT_VALIDITY : validity;
      checkInterval = checkInterval == null ? DEFAULT_CHECK_INTERVAL : checkInterval;
      if (mode == Mode.GENERATE && (configurationName == null || serviceName == null)) {
        throw new IllegalArgumentException(
            "generating the webhook's certificate needs the Service and the webhook configuration");
      }
      if (validity.compareTo(Duration.ofHours(1)) < 0
          || checkInterval.isNegative()
          || checkInterval.isZero()) {
        throw new IllegalArgumentException(
            "the certificate's validity must be an hour or more and the check interval positive");
      }
    }

    /** The operator issues and rotates, with the default validity and check interval. */
    public static Settings generate(
        String namespace, String secretName, String configurationName, String serviceName) {
      return new Settings(
          Mode.GENERATE,
          namespace,
          secretName,
          configurationName,
          serviceName,
          List.of(),
          null,
          null);
    }

    /** cert-manager writes the Secret; it is read every default check interval. */
    public static Settings certManager(String namespace, String secretName) {
      return new Settings(
          Mode.CERT_MANAGER, namespace, secretName, null, null, List.of(), null, null);
    }

    public Settings withIps(List<String> ips) {
      return new Settings(
          mode,
          namespace,
          secretName,
          configurationName,
          serviceName,
          ips,
          validity,
          checkInterval);
    }

    public Settings withValidity(Duration validity) {
      return new Settings(
          mode,
          namespace,
          secretName,
          configurationName,
          serviceName,
          ips,
          validity,
          checkInterval);
    }

    public Settings withCheckInterval(Duration checkInterval) {
      return new Settings(
          mode,
          namespace,
          secretName,
          configurationName,
          serviceName,
          ips,
          validity,
          checkInterval);
    }

    List<String> dnsNames() {
      String svc = serviceName + "." + namespace + ".svc";
      return List.of(svc, svc + ".cluster.local");
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Clock clock;
  private final CertificateRotation rotation;
  private final WebhookConfigurationCaBundles caBundles;
  private final ReloadableTlsContext tls = new ReloadableTlsContext();
  private ScheduledExecutorService scheduler;
  private String servedCert;
  private String servedKey;

  public WebhookCertificateKeeper(KubernetesClient client, Settings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.rotation =
        new CertificateRotation(
            () ->
                WebhookCertificates.issue(
                    settings.dnsNames(), settings.ips(), clock, settings.validity()),
            settings.checkInterval().multipliedBy(2));
    this.caBundles = new WebhookConfigurationCaBundles(client, settings.configurationName());
  }

  /** The TLS context to give {@link WebhookServer#start}; it serves what the last check read. */
  public SSLContext sslContext() {
    return tls.sslContext();
  }

  /** The certificate new handshakes get, if a check has found one. */
  public Optional<X509Certificate> served() {
    return tls.served();
  }

  /**
   * Checks once now, so that the webhook has a certificate to serve when this returns, then every
   * check interval on a thread of its own, where a failed check is logged and the last certificate
   * stays served.
   *
   * @throws IllegalStateException naming the Secret and the refused request, when the first check
   *     finds nothing to serve
   */
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    check();
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "schemagate-webhook-certificate");
              t.setDaemon(true);
              return t;
            });
    long every = settings.checkInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::checkAndLog, every, every, TimeUnit.MILLISECONDS);
  }

  /** Stops the periodic check; the TLS context keeps serving the last certificate. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /**
   * One check: reads the Secret, in GENERATE mode takes the next step of issuing or rotating and
   * brings the configuration's {@code caBundle} to the Secret's {@code ca.crt}, and serves the
   * Secret's certificate.
   *
   * @throws IllegalStateException when the Secret cannot be read or written, or holds nothing to
   *     serve; the message names the Secret and, for a refused request, the missing permission
   */
  public synchronized void check() {
    if (settings.mode() == Mode.CERT_MANAGER) {
      Secret secret = getSecret();
      if (secret == null) {
        throw new IllegalStateException(
            "the webhook's certificate Secret "
                + secretRef()
                + " does not exist; has cert-manager issued its Certificate?");
      }
      serve(decode(secret));
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        generateOnce();
        return;
      } catch (Conflict e) {
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "writing " + e.getMessage() + " conflicted " + ATTEMPTS + " times in a row", e);
        }
        LOG.debug("{} changed while it was written; reading it again", e.getMessage());
      }
    }
  }

  private void checkAndLog() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("checking the webhook's certificate: {}", e.getMessage());
    }
  }

  private void generateOnce() {
    Instant now = clock.instant();
    Secret secret = getSecret();
    MutatingWebhookConfiguration configuration = caBundles.read();
    List<String> bundles =
        configuration == null ? null : WebhookConfigurationCaBundles.bundles(configuration);
    Map<String, String> data = secret == null ? Map.of() : decode(secret);
    CertificateRotation.Plan plan = rotation.next(data, promotedAt(secret), bundles, now);
    if (plan.step() == CertificateRotation.Step.ISSUE && !data.isEmpty()) {
      LOG.warn("webhook certificate Secret {}: {}", secretRef(), plan.why());
    } else if (plan.step() != CertificateRotation.Step.KEEP) {
      LOG.info("webhook certificate Secret {}: {}", secretRef(), plan.why());
    } else {
      LOG.debug("webhook certificate Secret {}: {}", secretRef(), plan.why());
    }
    if (plan.step() != CertificateRotation.Step.KEEP) {
      data = plan.data();
      write(secret, data, plan.promotedAt());
    }
    if (configuration != null) {
      caBundles.set(configuration, data.get(CertificateRotation.CA_BUNDLE));
    } else {
      LOG.warn(
          "the webhook configuration {} does not exist; its caBundle will be set when it does",
          settings.configurationName());
    }
    serve(data);
  }

  private void serve(Map<String, String> data) {
    String cert = data.get(CertificateRotation.CERT);
    String key = data.get(CertificateRotation.KEY);
    if (Objects.equals(cert, servedCert) && Objects.equals(key, servedKey)) {
      return;
    }
    try {
      tls.update(cert, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the webhook's certificate Secret "
              + secretRef()
              + " holds no certificate and key to serve: "
              + e.getMessage(),
          e);
    }
    servedCert = cert;
    servedKey = key;
    X509Certificate served = tls.served().orElseThrow();
    LOG.info(
        "the webhook serves the certificate of Secret {} issued by {} (notAfter {})",
        secretRef(),
        served.getIssuerX500Principal().getName(),
        served.getNotAfter().toInstant());
  }

  // --- the Secret: get, create, update

  private Secret getSecret() {
    try {
      return client
          .secrets()
          .inNamespace(settings.namespace())
          .withName(settings.secretName())
          .get();
    } catch (KubernetesClientException e) {
      throw refused("get", e);
    }
  }

  private void write(Secret current, Map<String, String> data, Instant promotedAt) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(
                k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
    if (current == null) {
      Secret created =
          new SecretBuilder()
              .withNewMetadata()
              .withName(settings.secretName())
              .withNamespace(settings.namespace())
              .addToLabels("app.kubernetes.io/managed-by", "schemagate-operator")
              .endMetadata()
              .withType("kubernetes.io/tls")
              .withData(encoded)
              .build();
      setPromotedAt(created.getMetadata(), promotedAt);
      try {
        client.secrets().inNamespace(settings.namespace()).resource(created).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          throw new Conflict("Secret " + secretRef());
        }
        if (e.getCode() == 403) {
          throw new IllegalStateException(
              "the webhook's certificate Secret "
                  + secretRef()
                  + " does not exist and the operator may not create it (RBAC: create secrets in"
                  + " namespace "
                  + settings.namespace()
                  + "); create it empty (type Opaque, no data, as operator/deploy/webhook.yaml"
                  + " does), or grant that",
              e);
        }
        throw refused("create", e);
      }
      return;
    }
    Secret updated = new SecretBuilder(current).withData(encoded).withStringData(null).build();
    setPromotedAt(updated.getMetadata(), promotedAt);
    try {
      client.secrets().inNamespace(settings.namespace()).resource(updated).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new Conflict("Secret " + secretRef());
      }
      throw refused("update", e);
    }
  }

  private static void setPromotedAt(ObjectMeta meta, Instant promotedAt) {
    Map<String, String> annotations =
        meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations());
    if (promotedAt == null) {
      annotations.remove(PROMOTED_AT_ANNOTATION);
    } else {
      annotations.put(PROMOTED_AT_ANNOTATION, promotedAt.toString());
    }
    meta.setAnnotations(annotations);
  }

  private static Instant promotedAt(Secret secret) {
    if (secret == null || secret.getMetadata().getAnnotations() == null) {
      return null;
    }
    String at = secret.getMetadata().getAnnotations().get(PROMOTED_AT_ANNOTATION);
    try {
      return at == null ? null : Instant.parse(at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  return;
                }
                try {
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                  data.put(k, "");
                }
              });
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    data.values().removeIf(String::isEmpty);
    return data;
  }

  // --- errors

  private IllegalStateException refused(String verb, KubernetesClientException e) {
    if (e.getCode() == 403) {
      return new IllegalStateException(
          "the operator may not "
              + verb
              + " the webhook's certificate Secret "
              + secretRef()
              + " (RBAC: "
              + verb
              + " secrets, resourceNames "
              + settings.secretName()
              + ", in namespace "
              + settings.namespace()
              + ")",
          e);
    }
    return new IllegalStateException(
        "cannot " + verb + " the webhook's certificate Secret " + secretRef() + ": " + reason(e),
        e);
  }

  static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? "HTTP " + e.getCode() + " " + e.getStatus().getMessage()
        : e.getMessage();
  }

  private String secretRef() {
    return settings.namespace() + "/" + settings.secretName();
  }

  /** Someone else wrote the object since it was read: read again and decide again. */
  static final class Conflict extends RuntimeException {
    Conflict(String what) {
      super(what, null, false, false);
    }
  }
}
