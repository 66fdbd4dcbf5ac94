package io.schemagate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  @Test
  void withoutAPortThereIsNoWebhook() {
    assertThat(WebhookSettings.fromEnv(Map.of())).isNull();
    assertThat(WebhookSettings.fromEnv(Map.of(WebhookSettings.PORT, " "))).isNull();
  }

  @Test
  void theDefaultsAreTheNamesOfTheShippedManifests() {
    WebhookSettings s =
        WebhookSettings.fromEnv(
            Map.of(WebhookSettings.PORT, "9443", WebhookSettings.NAMESPACE, "schemagate-system"));
    assertThat(s.port()).isEqualTo(9443);
    assertThat(s.operatorUser())
        .isEqualTo("system:serviceaccount:schemagate-system:schemagate-operator");
    assertThat(s.certificates().mode()).isEqualTo(WebhookCertificateKeeper.Mode.GENERATE);
    assertThat(s.certificates().secretName()).isEqualTo("schemagate-operator-webhook-tls");
    assertThat(s.certificates().configurationName()).isEqualTo("schemagate-gate");
    assertThat(s.certificates().serviceName()).isEqualTo("schemagate-operator-webhook");
    assertThat(s.certificates().namespace()).isEqualTo("schemagate-system");
  }

  @Test
  void certManagerModeAndAValidityAreRead() {
    WebhookSettings s =
        WebhookSettings.fromEnv(
            Map.of(
                WebhookSettings.PORT, "8443",
                WebhookSettings.NAMESPACE, "ops",
                WebhookSettings.SERVICE_ACCOUNT, "gatekeeper",
                WebhookSettings.CERTIFICATES, "cert-manager",
                WebhookSettings.VALIDITY, "720h"));
    assertThat(s.operatorUser()).isEqualTo("system:serviceaccount:ops:gatekeeper");
    assertThat(s.certificates().mode()).isEqualTo(WebhookCertificateKeeper.Mode.CERT_MANAGER);
    assertThat(s.certificates().validity()).isEqualTo(Duration.ofHours(720));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of(WebhookSettings.PORT, "https")))
        .hasMessageContaining(WebhookSettings.PORT);
    assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of(WebhookSettings.PORT, "9443")))
        .hasMessageContaining(WebhookSettings.NAMESPACE);
    assertThatThrownBy(
            () ->
                WebhookSettings.fromEnv(
                    Map.of(
                        WebhookSettings.PORT, "9443",
                        WebhookSettings.NAMESPACE, "ops",
                        WebhookSettings.CERTIFICATES, "vault")))
        .hasMessageContaining("generate or cert-manager");
    assertThatThrownBy(
            () ->
                WebhookSettings.fromEnv(
                    Map.of(
                        WebhookSettings.PORT, "9443",
                        WebhookSettings.NAMESPACE, "ops",
                        WebhookSettings.VALIDITY, "a year")))
        .hasMessageContaining(WebhookSettings.VALIDITY);
  }
}
