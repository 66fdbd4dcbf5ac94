package io.schemagate.operator.webhook;

import io.schemagate.api.v1alpha1.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How the operator serves the gate's webhook, from its environment (the Helm chart and {@code
 * operator/deploy/} set these). The webhook is on when {@value #PORT} is set to a port.
 *
 * @param port the HTTPS port of {@code /mutate-deployments}
 * @param operatorUser the operator's own user, whose requests pass untouched: {@code
 *     system:serviceaccount:<namespace>:<account>}
 * @param certificates the certificate's Secret and who writes it
 */
public record WebhookSettings(
    int port, String operatorUser, WebhookCertificateKeeper.Settings certificates) {

  public static final String PORT = "SCHEMAGATE_WEBHOOK_PORT";
  public static final String NAMESPACE = "SCHEMAGATE_NAMESPACE";
  public static final String SERVICE_ACCOUNT = "SCHEMAGATE_SERVICE_ACCOUNT";
  public static final String SERVICE = "SCHEMAGATE_WEBHOOK_SERVICE";
  public static final String SECRET = "SCHEMAGATE_WEBHOOK_SECRET";
  public static final String CONFIGURATION = "SCHEMAGATE_WEBHOOK_CONFIGURATION";
  public static final String CERTIFICATES = "SCHEMAGATE_WEBHOOK_CERTIFICATES";
  public static final String VALIDITY = "SCHEMAGATE_WEBHOOK_CERTIFICATE_VALIDITY";

  /** The names of {@code operator/deploy/webhook.yaml}. */
  public static final String DEFAULT_SERVICE = "schemagate-operator-webhook";

  public static final String DEFAULT_SECRET = "schemagate-operator-webhook-tls";
  public static final String DEFAULT_CONFIGURATION = "schemagate-gate";
  public static final String DEFAULT_SERVICE_ACCOUNT = "schemagate-operator";

  /** The webhook's settings, or null when {@value #PORT} is not set (no webhook). */
  public static WebhookSettings fromEnv(Map<String, String> env) {
    String portText = blankToNull(env.get(PORT));
    if (portText == null) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORT + " is not a port number: " + portText, e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(PORT + " is not a port number: " + portText);
    }
    String namespace = blankToNull(env.get(NAMESPACE));
    if (namespace == null) {
      throw new IllegalArgumentException(
          NAMESPACE
              + " must name the operator's namespace (the downward API's metadata.namespace):"
              + " the webhook's certificate Secret is there");
    }
    String account = orDefault(env, SERVICE_ACCOUNT, DEFAULT_SERVICE_ACCOUNT);
    String secret = orDefault(env, SECRET, DEFAULT_SECRET);
    String mode = orDefault(env, CERTIFICATES, "generate").toLowerCase(Locale.ROOT);
    WebhookCertificateKeeper.Settings certificates =
        switch (mode) {
          case "generate" ->
              WebhookCertificateKeeper.Settings.generate(
                  namespace,
                  secret,
                  orDefault(env, CONFIGURATION, DEFAULT_CONFIGURATION),
                  orDefault(env, SERVICE, DEFAULT_SERVICE));
          case "cert-manager" -> WebhookCertificateKeeper.Settings.certManager(namespace, secret);
          default ->
              throw new IllegalArgumentException(
                  CERTIFICATES + " must be generate or cert-manager, not " + mode);
        };
    String validity = blankToNull(env.get(VALIDITY));
    if (validity != null) {
      Duration d;
      try {
        d = Durations.parse(validity);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(VALIDITY + ": " + e.getMessage(), e);
      }
      certificates = certificates.withValidity(d);
    }
    return new WebhookSettings(
        port, "system:serviceaccount:" + namespace + ":" + account, certificates);
  }

  private static String orDefault(Map<String, String> env, String name, String fallback) {
    String v = blankToNull(env.get(name));
    return v == null ? fallback : v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
