package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.gate.GateDecision.Why;
import io.schemagate.testkit.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateDecisionTest {
  static final Map<String, String> GATED = Map.of(SchemaGateApi.GATE_LABEL, "accounts");

  @Test
  void withoutTheLabelADeploymentIsNotGated() {
    GateDecision d = GateDecision.decide("shop", Map.of("app", "web"), null, null);
    assertThat(d.open()).isTrue();
    assertThat(d.why()).isEqualTo(Why.NotGated);
    assertThat(GateDecision.decide("shop", null, null, null).why()).isEqualTo(Why.NotGated);
  }

  @Test
  void aMissingSchemaMigrationShutsTheGateAndSaysHowToUngate() {
    GateDecision d = GateDecision.decide("shop", GATED, Map.of(), null);
    assertThat(d.open()).isFalse();
    assertThat(d.why()).isEqualTo(Why.MigrationNotFound);
    assertThat(d.message())
        .contains("SchemaMigration shop/accounts does not exist")
        .contains("remove the schemagate.io/gate label");
  }

  @Test
  void readyAtItsGenerationOpensTheGate() {
    GateDecision d = GateDecision.decide("shop", GATED, Map.of(), migration(3, 3, true, "7"));
    assertThat(d.open()).isTrue();
    assertThat(d.why()).isEqualTo(Why.SchemaReady);
    assertThat(d.message()).contains("revision 7");
  }

  @Test
  void aGenerationNotYetReconciledShutsTheGateEvenWhileTheOldOneIsReady() {
    GateDecision d = GateDecision.decide("shop", GATED, Map.of(), migration(4, 3, true, "7"));
    assertThat(d.open()).isFalse();
    assertThat(d.why()).isEqualTo(Why.MigrationNotObserved);
    assertThat(GateDecision.decide("shop", GATED, Map.of(), migration(1, null, false, null)).why())
        .isEqualTo(Why.MigrationNotObserved);
  }

  @Test
  void notReadyShutsTheGateNamingTheReason() {
    GateDecision d = GateDecision.decide("shop", GATED, Map.of(), migration(2, 2, false, "5"));
    assertThat(d.open()).isFalse();
    assertThat(d.why()).isEqualTo(Why.MigrationNotReady);
    assertThat(d.message()).contains("is not Ready (MigrationFailed)");
  }

  @ParameterizedTest
  @CsvSource({
    "1.10, 1.9, true",
    "1.9, 1.10, false",
    "7, 7, true",
    "7, 7.0, true",
    "7, 7.0.1, false",
    "2_1, 2.1, true",
    "10, 9, true",
    "9, 10, false"
  })
  void theRequiredRevisionComparesInFlywayOrder(String current, String required, boolean open) {
    GateDecision d =
        GateDecision.decide(
            "shop",
            GATED,
            Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, required),
            migration(1, 1, true, current));
    assertThat(d.open()).as(current + " >= " + required).isEqualTo(open);
    assertThat(d.why()).isEqualTo(open ? Why.SchemaReady : Why.RevisionBelowRequired);
  }

  @Test
  void aRequiredRevisionWithNoCurrentRevisionKeepsTheGateShut() {
    GateDecision d =
        GateDecision.decide(
            "shop",
            GATED,
            Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "1"),
            migration(1, 1, true, null));
    assertThat(d.why()).isEqualTo(Why.RevisionBelowRequired);
    assertThat(d.message()).contains("at revision (none), this Deployment requires 1");
  }

  @Test
  void aMalformedRequiredRevisionKeepsTheGateShutWithAClearMessage() {
    GateDecision d =
        GateDecision.decide(
            "shop",
            GATED,
            Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "v2"),
            migration(1, 1, true, "7"));
    assertThat(d.open()).isFalse();
    assertThat(d.why()).isEqualTo(Why.InvalidRequiredRevision);
    assertThat(d.message())
        .isEqualTo(
            "held: schemagate.io/requires-revision: invalid revision 'v2' (expected numbers"
                + " separated by dots or underscores, e.g. 5, 1.2 or 2_1)");
  }

  @Test
  void bypassOpensTheGateWhateverTheRestSays() {
    Map<String, String> bypass = new HashMap<>();
    bypass.put(SchemaGateApi.BYPASS_ANNOTATION, "true");
    bypass.put(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "not-a-revision");
    for (SchemaMigration sm : new SchemaMigration[] {null, migration(2, 2, false, "1")}) {
      GateDecision d = GateDecision.decide("shop", GATED, bypass, sm);
      assertThat(d.open()).isTrue();
      assertThat(d.why()).isEqualTo(Why.Bypassed);
    }
    assertThat(
            GateDecision.decide("shop", GATED, Map.of(SchemaGateApi.BYPASS_ANNOTATION, "yes"), null)
                .why())
        .as("only \"true\" bypasses")
        .isEqualTo(Why.MigrationNotFound);
  }

  @Test
  void aDecisionAgreesWithItsReason() {
    assertThatThrownBy(() -> new GateDecision(true, Why.MigrationNotReady, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static SchemaMigration migration(
      long generation, Integer observed, boolean ready, String currentRevision) {
    SchemaMigration sm = Fixtures.migration("shop", "accounts");
    sm.getMetadata().setGeneration(generation);
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setObservedGeneration(observed == null ? null : observed.longValue());
    status.setCurrentRevision(currentRevision);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "AtHead" : "MigrationFailed")
                .build()));
    sm.setStatus(status);
    return sm;
  }
}
