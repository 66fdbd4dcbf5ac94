package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.testkit.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the sandbox's wait ends, given SchemaMigrations and Deployments as the API server has them.
 */
class SettleTest {

  @Test
  void aHoldOfSchemagatesOnAnOpenGateIsNotSettledUntilReleased() {
    SchemaMigration atSeven = migration("7", List.of("web"));
    Deployment held = deployment("7", true, "accounts");

    assertThat(Settle.settled(List.of(atSeven), List.of(held))).isFalse();
    assertThat(
            Settle.settled(
                List.of(migration("7", List.of())), List.of(deployment("7", false, null))))
        .isTrue();
  }

  @Test
  void aRunningDeploymentOnAShutGateIsNotSettledUntilHeld() {
    assertThat(Settle.settled(List.of(), List.of(deployment("7", false, null))))
        .as("its SchemaMigration does not exist")
        .isFalse();
    assertThat(
            Settle.settled(
                List.of(migration("3", List.of())), List.of(deployment("7", false, null))))
        .as("below the revision it requires")
        .isFalse();
    assertThat(
            Settle.settled(
                List.of(migration("3", List.of("web"))),
                List.of(deployment("7", true, "accounts"))))
        .isTrue();
  }

  @Test
  void aDeploymentAPersonPausedIsSettledWhetherTheGateIsOpenOrShut() {
    Deployment paused = deployment("7", true, null);

    assertThat(Settle.settled(List.of(migration("7", List.of())), List.of(paused))).isTrue();
    assertThat(Settle.settled(List.of(migration("3", List.of())), List.of(paused))).isTrue();
  }

  @Test
  void aHoldTheStatusDoesNotListYetIsNotSettled() {
    Deployment held = deployment("7", true, "accounts");

    assertThat(Settle.settled(List.of(migration("3", List.of())), List.of(held))).isFalse();
    assertThat(
            Settle.settled(
                List.of(migration("7", List.of("web"))), List.of(deployment("7", false, null))))
        .as("a release the status still lists")
        .isFalse();
  }

  @Test
  void aMigrationNotReadyNorStalledIsNotSettledWithoutAnyDeployment() {
    SchemaMigration running = migration("3", List.of());
    running.getStatus().setConditions(List.of(condition("Ready", "False", "Migrating")));

    assertThat(Settle.settled(List.of(running), List.of())).isFalse();
  }

  /** shop/accounts, Ready at {@code revision} for its generation, listing {@code gated}. */
  static SchemaMigration migration(String revision, List<String> gated) {
    SchemaMigration sm = Fixtures.migration("shop", "accounts");
    sm.getMetadata().setGeneration(1L);
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setObservedGeneration(1L);
    status.setCurrentRevision(revision);
    status.setGatedDeployments(gated);
    status.setConditions(List.of(condition("Ready", "True", "AtHead")));
    sm.setStatus(status);
    return sm;
  }

  static io.fabric8.kubernetes.api.model.Condition condition(
      String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
  }

  /**
   * shop/web gated on accounts, requiring {@code requires}; paused by {@code pausedBy} or a person.
   */
  static Deployment deployment(String requires, boolean paused, String pausedBy) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, requires);
    if (pausedBy != null) {
      annotations.put(SchemaGateApi.PAUSED_BY_ANNOTATION, pausedBy);
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web")
        .addToLabels(SchemaGateApi.GATE_LABEL, "accounts")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withPaused(paused)
        .endSpec()
        .build();
  }
}
