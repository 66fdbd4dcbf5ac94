package io.schemagate.operator.webhook;

import static io.schemagate.operator.webhook.CertificateRotation.CA_BUNDLE;
import static io.schemagate.operator.webhook.CertificateRotation.CERT;
import static io.schemagate.operator.webhook.CertificateRotation.KEY;
import static io.schemagate.operator.webhook.CertificateRotation.PENDING_CERT;
import static io.schemagate.operator.webhook.CertificateRotation.PENDING_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.operator.webhook.CertificateRotation.Plan;
import io.schemagate.operator.webhook.CertificateRotation.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions the Secret-level tests do not reach: expiry, a missing configuration, debris. */
class CertificateRotationTest {
  static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
  static final Duration VALIDITY = Duration.ofDays(30);
  static final Duration SETTLE = Duration.ofMinutes(2);

  final CertificateRotation rotation = new CertificateRotation(() -> issueAt(T0), SETTLE);

  @Test
  void anExpiredCertificateIsReplacedNotRotated() {
    Map<String, String> data = served(issueAt(T0));
    Plan plan = rotation.next(data, null, List.of(data.get(CA_BUNDLE)), T0.plus(VALIDITY));
    assertThat(plan.step()).isEqualTo(Step.ISSUE);
    assertThat(plan.why()).contains("expired at");
    assertThat(plan.data()).containsOnlyKeys(CA_BUNDLE, CERT, KEY);
  }

  @Test
  void aCertificateNoCaOfTheBundleSignsIsReplaced() {
    Map<String, String> data = served(issueAt(T0));
    data.put(CA_BUNDLE, issueAt(T0).caPem());
    Plan plan = rotation.next(data, null, List.of(data.get(CA_BUNDLE)), T0);
    assertThat(plan.step()).isEqualTo(Step.ISSUE);
    assertThat(plan.why()).contains("no CA of the Secret's ca.crt signs its tls.crt");
  }

  @Test
  void withoutTheConfigurationThePendingCertificateWaits() {
    Map<String, String> data = served(issueAt(T0));
    Instant due = T0.plus(Duration.ofDays(21));
    Plan rotate = rotation.next(data, null, List.of(data.get(CA_BUNDLE)), due);
    assertThat(rotate.step()).isEqualTo(Step.ROTATE);

    Plan waiting = rotation.next(rotate.data(), null, null, due.plusSeconds(60));
    assertThat(waiting.step()).isEqualTo(Step.KEEP);
    assertThat(waiting.why()).contains("does not exist");
  }

  @Test
  void anUnusablePendingCertificateIsRotatedAfresh() {
    Map<String, String> data = served(issueAt(T0));
    data.put(PENDING_CERT, "garbage");
    data.put(PENDING_KEY, "garbage");
    Plan plan = rotation.next(data, null, List.of(data.get(CA_BUNDLE)), T0.plusSeconds(60));
    assertThat(plan.step()).isEqualTo(Step.ROTATE);
    assertThat(CertificateRotation.servedCertificate(plan.data(), PENDING_CERT, PENDING_KEY))
        .isPresent();
  }

  @Test
  void anOldCaThatHasExpiredGoesAtOnceAndOneThatHasNotWaitsForTheReplicas() {
    WebhookCertificates.Issued old = issueAt(T0);
    WebhookCertificates.Issued current = issueAt(T0.plus(Duration.ofDays(20)));
    Map<String, String> data = served(current);
    data.put(CA_BUNDLE, old.caPem() + current.caPem());
    Instant promoted = T0.plus(Duration.ofDays(29));

    Plan soon =
        rotation.next(data, promoted, List.of(data.get(CA_BUNDLE)), promoted.plusSeconds(1));
    assertThat(soon.step()).isEqualTo(Step.KEEP);

    Instant oldExpired = T0.plus(VALIDITY);
    Plan expired = rotation.next(data, oldExpired, List.of(data.get(CA_BUNDLE)), oldExpired);
    assertThat(expired.step()).isEqualTo(Step.DROP_OLD_CA);
    assertThat(expired.data().get(CA_BUNDLE)).isEqualTo(current.caPem());
  }

  static Map<String, String> served(WebhookCertificates.Issued issued) {
    return new java.util.LinkedHashMap<>(
        Map.of(CA_BUNDLE, issued.caPem(), CERT, issued.certPem(), KEY, issued.keyPem()));
  }

  static WebhookCertificates.Issued issueAt(Instant at) {
    return WebhookCertificates.issue(
        List.of("schemagate-webhook.schemagate-system.svc"),
        List.of(),
        Clock.fixed(at, ZoneOffset.UTC),
        VALIDITY);
  }
}
