package io.schemagate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading SchemaMigrations as an API server without the CRD's schema may hand them over. */
class TolerantReadingTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static SchemaMigration read(String specJson, String statusJson) {
    return JSON.unmarshal(
        "{\"apiVersion\":\"schemagate.io/v1alpha1\",\"kind\":\"SchemaMigration\","
            + "\"metadata\":{\"name\":\"orders\",\"namespace\":\"shop\"},\"spec\":"
            + specJson
            + (statusJson == null ? "" : ",\"status\":" + statusJson)
            + "}",
        SchemaMigration.class);
  }

  static final String SPEC =
      "{\"database\":{\"url\":\"jdbc:postgresql://db/orders\","
          + "\"credentialsSecret\":{\"name\":\"orders-db\"}},"
          + "\"bundle\":{\"image\":\"orders:1\"}";

  @Test
  void unknownFieldsAreKeptAtEveryLevelAndWrittenBack() {
    SchemaMigration sm =
        JSON.unmarshal(
            """
            apiVersion: schemagate.io/v1alpha1
            kind: SchemaMigration
            metadata: {name: orders, namespace: shop}
            specs: {typo: true}
            spec:
              targetRevison: "3"
              database:
                url: jdbc:postgresql://db/orders
                credentialsSecret: {name: orders-db, passwrodKey: pw}
                future: [1, 2]
              bundle: {image: "orders:1", digest: sha256}
              retry: {limt: 2}
              job: {nodeSelectr: {a: b}}
            status: {futureField: x, lastRun: {jobName: j, futureRunField: 7}}
            """,
            SchemaMigration.class);

    assertThat(sm.getUnknownFields()).containsOnlyKeys("specs");
    assertThat(sm.getSpec().getUnknownFields()).containsOnlyKeys("targetRevison");
    assertThat(sm.getSpec().getDatabase().getUnknownFields()).containsOnlyKeys("future");
    assertThat(sm.getSpec().getDatabase().getCredentialsSecret().getUnknownFields())
        .containsOnlyKeys("passwrodKey");
    assertThat(sm.getSpec().getBundle().getUnknownFields()).containsOnlyKeys("digest");
    assertThat(sm.getSpec().getRetry().getUnknownFields()).containsOnlyKeys("limt");
    assertThat(sm.getSpec().getJob().getUnknownFields()).containsOnlyKeys("nodeSelectr");
    assertThat(sm.getStatus().getUnknownFields()).containsOnlyKeys("futureField");
    assertThat(sm.getStatus().getLastRun().getUnknownFields()).containsOnlyKeys("futureRunField");
    assertThat(sm.getSpec().getTargetRevision()).isEmpty();

    JsonNode written = JSON.convertValue(sm, JsonNode.class);
    assertThat(written.at("/specs/typo").asBoolean()).isTrue();
    assertThat(written.at("/spec/targetRevison").asText()).isEqualTo("3");
    assertThat(written.at("/spec/database/future").toString()).isEqualTo("[1,2]");
    assertThat(written.at("/spec/database/credentialsSecret/passwrodKey").asText()).isEqualTo("pw");
    assertThat(written.at("/spec/retry/limt").asInt()).isEqualTo(2);
    assertThat(written.at("/status/lastRun/futureRunField").asInt()).isEqualTo(7);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"retry\":{\"limit\":\"three\"}|spec.retry.limit|must be an integer",
        "\"lint\":\"enforce\"|spec.lint|must be one of Enforce, Warn, Off",
        "\"suspend\":\"maybe\"|spec.suspend|must be true or false",
        "\"job\":[1,2]|spec.job|must be an object",
        "\"database\":{\"url\":{\"user\":\"a\",\"password\":\"hunter2\"}}|spec.database.url|must be a string",
        "\"database\":{\"schemas\":\"public\"}|spec.database.schemas|must be a list",
        "\"bundle\":{\"imagePullPolicy\":\"always\"}|spec.bundle.imagePullPolicy|must be one of Always, IfNotPresent, Never",
        "\"job\":{\"sidecars\":[{\"name\":\"a\"},{\"ports\":\"x\"}]}|spec.job.sidecars[1].ports|must be a list"
      })
  void aValueThatCannotBeReadNamesItsFieldAndKeepsTheSpecAsItWas(
      String field, String path, String problem) {
    String spec = "{" + field + "}";
    SchemaMigration sm = read(spec, null);

    assertThat(sm.getSpec()).isInstanceOf(UnreadableSpec.class);
    UnreadableSpec unreadable = (UnreadableSpec) sm.getSpec();
    assertThat(unreadable.field()).isEqualTo(path);
    assertThat(unreadable.problem()).isEqualTo(problem).doesNotContain("hunter2");
    assertThat(sm.getMetadata().getName()).isEqualTo("orders");
    assertThat(JSON.asJson(sm))
        .contains("\"spec\":" + JSON.asJson(JSON.unmarshal(spec, Object.class)));
    assertThat(JSON.clone(sm).getSpec()).isInstanceOf(UnreadableSpec.class);
  }

  @Test
  void aSpecThatIsNoObjectIsUnreadable() {
    SchemaMigration sm = read("\"orders\"", null);

    assertThat(((UnreadableSpec) sm.getSpec()).field()).isEqualTo("spec");
    assertThat(((UnreadableSpec) sm.getSpec()).problem()).isEqualTo("must be an object");
    assertThat(JSON.asJson(sm)).contains("\"spec\":\"orders\"");
  }

  @Test
  void aPhaseANewerOperatorWroteIsReadAsNone() {
    SchemaMigration sm = read(SPEC + "}", "{\"phase\":\"Verifying\",\"currentRevision\":\"3\"}");

    assertThat(sm.getStatus().getPhase()).isNull();
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("3");
  }

  @Test
  void aStatusThatCannotBeReadIsReadAsNoneAndTheSpecStillIs() {
    SchemaMigration sm = read(SPEC + "}", "{\"history\":\"lost\"}");

    assertThat(sm.getStatus()).isNull();
    assertThat(sm.getSpec().getBundle().getImage()).isEqualTo("orders:1");
  }
}
