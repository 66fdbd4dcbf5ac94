package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateDecision.Why;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook's review, on AdmissionReview JSON as the API server sends it. */
class GateAdmissionTest {
  static final String OPERATOR = "system:serviceaccount:schemagate-system:schemagate-operator";
  static final ObjectMapper MAPPER = new ObjectMapper();

  final Map<String, SchemaMigration> migrations = new HashMap<>();
  final GateAdmission admission =
      new GateAdmission(
          OPERATOR, (ns, name) -> migrations.get(ns + "/" + name), new KubernetesSerialization());

  @Test
  void aGatedDeploymentCreatedBeforeItsMigrationIsStoredPausedAndMarkedAsOurs() throws Exception {
    GateAdmission.Outcome o =
        admission.review(
            review("CREATE", deployment("accounts", "", "\"team\":\"payments\""), false, "alice"));

    assertThat(o.gate().why()).isEqualTo(Why.MigrationNotFound);
    assertThat(o.hold()).isEqualTo(Hold.PLACE);
    assertThat(o.response().getResponse().getUid()).isEqualTo("uid-1");
    assertThat(o.response().getResponse().getAllowed()).isTrue();
    assertThat(patch(o))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":true},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/schemagate.io~1paused-by\","
                + "\"value\":\"accounts\"}]");
  }

  @Test
  void withoutAnnotationsTheWholeMapIsAdded() throws Exception {
    GateAdmission.Outcome o =
        admission.review(
            review("CREATE", deploymentWithoutAnnotations("accounts"), false, "alice"));
    assertThat(patch(o))
        .contains(
            "{\"op\":\"add\",\"path\":\"/metadata/annotations\","
                + "\"value\":{\"schemagate.io/paused-by\":\"accounts\"}}");
  }

  @Test
  void aReadyMigrationLetsTheDeploymentThroughUnchanged() throws Exception {
    migrations.put("shop/accounts", migration(true, "7"));
    GateAdmission.Outcome o =
        admission.review(review("CREATE", deployment("accounts", "5", ""), false, "alice"));
    assertThat(o.gate().open()).isTrue();
    assertThat(o.hold()).isEqualTo(Hold.KEEP);
    assertThat(o.response().getResponse().getPatch()).isNull();
    assertThat(o.response().getResponse().getPatchType()).isNull();
  }

  @Test
  void rollForwardToATemplateThatNeedsANewerRevisionIsHeld() throws Exception {
    migrations.put("shop/accounts", migration(true, "7"));
    GateAdmission.Outcome o =
        admission.review(review("UPDATE", deployment("accounts", "8", ""), false, "argocd"));
    assertThat(o.gate().why()).isEqualTo(Why.RevisionBelowRequired);
    assertThat(o.hold()).isEqualTo(Hold.PLACE);
  }

  @Test
  void ourHoldOnAnOpenGateIsReleasedAtTheNextUpdate() throws Exception {
    migrations.put("shop/accounts", migration(true, "8"));
    String held = deployment("accounts", "8", "\"schemagate.io/paused-by\":\"accounts\"", true);
    GateAdmission.Outcome o = admission.review(review("UPDATE", held, false, "argocd"));
    assertThat(o.hold()).isEqualTo(Hold.RELEASE);
    assertThat(patch(o))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":false},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/annotations/schemagate.io~1paused-by\"}]");
  }

  @Test
  void aPersonsPauseIsNeitherClaimedNorEnded() throws Exception {
    String paused = deployment("accounts", "", "", true);
    assertThat(admission.review(review("UPDATE", paused, false, "alice")).hold())
        .isEqualTo(Hold.KEEP);
    migrations.put("shop/accounts", migration(true, "7"));
    assertThat(admission.review(review("UPDATE", paused, false, "alice")).hold())
        .isEqualTo(Hold.KEEP);
  }

  @Test
  void anUngatedDeploymentPassesUntouched() throws Exception {
    GateAdmission.Outcome o =
        admission.review(review("CREATE", deployment(null, "", ""), false, "alice"));
    assertThat(o.gate().why()).isEqualTo(Why.NotGated);
    assertThat(o.response().getResponse().getPatch()).isNull();
  }

  @Test
  void bypassLetsAFailedMigrationsDeploymentThrough() throws Exception {
    migrations.put("shop/accounts", migration(false, "5"));
    GateAdmission.Outcome o =
        admission.review(
            review(
                "UPDATE",
                deployment("accounts", "", "\"schemagate.io/bypass\":\"true\""),
                false,
                "alice"));
    assertThat(o.gate().why()).isEqualTo(Why.Bypassed);
    assertThat(o.response().getResponse().getPatch()).isNull();
  }

  @Test
  void theOperatorsOwnRequestsPassUntouchedEvenWhenTheGateIsShut() throws Exception {
    GateAdmission.Outcome o =
        admission.review(review("UPDATE", deployment("accounts", "", ""), false, OPERATOR));
    assertThat(o.gate()).isNull();
    assertThat(o.response().getResponse().getAllowed()).isTrue();
    assertThat(o.response().getResponse().getPatch()).isNull();
  }

  @Test
  void aDryRunIsMutatedAlikeAndSaysSoForTheCallerToRecordNothing() throws Exception {
    GateAdmission.Outcome o =
        admission.review(review("CREATE", deployment("accounts", "", ""), true, "alice"));
    assertThat(o.dryRun()).isTrue();
    assertThat(o.hold()).isEqualTo(Hold.PLACE);
    assertThat(o.response().getResponse().getPatch()).isNotNull();
  }

  @Test
  void aMalformedRequiredRevisionIsHeld() throws Exception {
    migrations.put("shop/accounts", migration(true, "7"));
    GateAdmission.Outcome o =
        admission.review(review("CREATE", deployment("accounts", "v8", ""), false, "alice"));
    assertThat(o.gate().why()).isEqualTo(Why.InvalidRequiredRevision);
    assertThat(o.hold()).isEqualTo(Hold.PLACE);
  }

  @Test
  void otherKindsAndDeletesAreAllowedWithoutAPatch() throws Exception {
    String delete = review("DELETE", deployment("accounts", "", ""), false, "alice");
    assertThat(admission.review(delete).response().getResponse().getPatch()).isNull();
    String statefulSet =
        review("CREATE", deployment("accounts", "", ""), false, "alice")
            .replace(
                "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}",
                "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"StatefulSet\"}");
    GateAdmission.Outcome o = admission.review(statefulSet);
    assertThat(o.gate()).isNull();
    assertThat(o.response().getResponse().getAllowed()).isTrue();
  }

  @Test
  void malformedRequestsAreRefusedWithAReason() {
    assertThatThrownBy(() -> admission.review("not json"))
        .isInstanceOf(GateAdmission.Invalid.class)
        .hasMessageContaining("not an AdmissionReview");
    assertThatThrownBy(
            () ->
                admission.review(
                    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"))
        .isInstanceOf(GateAdmission.Invalid.class)
        .hasMessageContaining("no request");
    assertThatThrownBy(
            () ->
                admission.review(
                    review("CREATE", deployment("accounts", "", ""), false, "alice")
                        .replace("\"uid\":\"uid-1\",", "")))
        .isInstanceOf(GateAdmission.Invalid.class);
  }

  // --- helpers

  static String patch(GateAdmission.Outcome o) throws Exception {
    assertThat(o.response().getResponse().getPatchType()).isEqualTo("JSONPatch");
    JsonNode ops =
        MAPPER.readTree(
            new String(
                Base64.getDecoder().decode(o.response().getResponse().getPatch()),
                StandardCharsets.UTF_8));
    return MAPPER.writeValueAsString(ops);
  }

  static String review(String operation, String object, boolean dryRun, String user) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
         "uid":"uid-1",
         "kind":{"group":"apps","version":"v1","kind":"Deployment"},
         "resource":{"group":"apps","version":"v1","resource":"deployments"},
         "name":"web","namespace":"shop","operation":"%s",
         "userInfo":{"username":"%s","groups":["system:authenticated"]},
         "object":%s,
         "dryRun":%s}}
        """
        .formatted(operation, user, object, dryRun)
        .replace("\n", "");
  }

  static String deployment(String gate, String requires, String extraAnnotations) {
    return deployment(gate, requires, extraAnnotations, false);
  }

  static String deployment(String gate, String requires, String extraAnnotations, boolean paused) {
    StringBuilder annotations = new StringBuilder();
    if (!requires.isEmpty()) {
      annotations.append("\"schemagate.io/requires-revision\":\"").append(requires).append('"');
    }
    if (!extraAnnotations.isEmpty()) {
      annotations.append(annotations.length() > 0 ? "," : "").append(extraAnnotations);
    }
    String labels =
        gate == null
            ? "\"app\":\"web\""
            : "\"app\":\"web\",\"schemagate.io/gate\":\"" + gate + "\"";
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop",
        "labels":{%s},"annotations":{%s}},
        "spec":{%s"replicas":2,"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:2"}]}}}}
        """
        .formatted(labels, annotations, paused ? "\"paused\":true," : "");
  }

  static String deploymentWithoutAnnotations(String gate) {
    return deployment(gate, "", "").replace(",\"annotations\":{}", "");
  }

  /** Ready or not at generation 1, at {@code revision}. */
  static SchemaMigration migration(boolean ready, String revision) {
    return GateDecisionTest.migration(1, 1, ready, revision);
  }
}
