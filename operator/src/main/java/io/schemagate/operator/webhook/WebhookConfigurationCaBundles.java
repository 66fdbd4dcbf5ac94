package io.schemagate.operator.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code caBundle} of every webhook of one MutatingWebhookConfiguration, read and set by name
 * ({@code get} and {@code update}, so RBAC can limit both to that name), touching nothing else.
 */
final class WebhookConfigurationCaBundles {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurationCaBundles.class);

  private final KubernetesClient client;
  private final String name;

  WebhookConfigurationCaBundles(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /** The configuration, or null when it does not exist. */
  MutatingWebhookConfiguration read() {
    try {
      return client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(name)
          .get();
    } catch (KubernetesClientException e) {
      throw refused("get", e);
    }
  }

  /** Each webhook's caBundle as PEM text; empty where it has none or it is not base64. */
  static List<String> bundles(MutatingWebhookConfiguration configuration) {
    return configuration.getWebhooks().stream()
        .map(
            w -> {
              String b64 = w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle();
              try {
                return b64 == null
                    ? ""
                    : new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
              } catch (IllegalArgumentException e) {
                return "";
              }
            })
        .toList();
  }

  /**
   * Sets every webhook's caBundle of {@code configuration}, as read, to {@code caPem}, with an
   * update that fails with {@link WebhookCertificateKeeper.Conflict} if it changed since; writes
   * nothing when they all hold it already.
   */
  void set(MutatingWebhookConfiguration configuration, String caPem) {
    String b64 = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    boolean stale = false;
    for (MutatingWebhook w : configuration.getWebhooks()) {
      if (w.getClientConfig() != null && !b64.equals(w.getClientConfig().getCaBundle())) {
        w.getClientConfig().setCaBundle(b64);
        stale = true;
      }
    }
    if (!stale) {
      return;
    }
    try {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .resource(configuration)
          .update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new WebhookCertificateKeeper.Conflict("MutatingWebhookConfiguration " + name);
      }
      throw refused("update", e);
    }
    LOG.info(
        "set the caBundle of the webhook configuration {} to the Secret's ca.crt ({} CA(s))",
        name,
        CertificateRotation.certificatesOrEmpty(caPem).size());
  }

  private IllegalStateException refused(String verb, KubernetesClientException e) {
    if (e.getCode() == 403) {
      return new IllegalStateException(
          "the operator may not "
              + verb
              + " the webhook configuration "
              + name
              + " (RBAC: "
              + verb
              + " mutatingwebhookconfigurations.admissionregistration.k8s.io, resourceNames "
              + name
              + ")",
          e);
    }
    return new IllegalStateException(
        "cannot "
            + verb
            + " the webhook configuration "
            + name
            + ": "
            + WebhookCertificateKeeper.reason(e),
        e);
  }
}
