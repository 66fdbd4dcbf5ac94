package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which changes wake the gate's reconciler: those that can move a hold, and no others. */
class GateEventFiltersTest {
  final Deployment gated =
      Fixtures.app(
          "shop", "web", "orders", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "7"));

  @Test
  void theDeploymentControllersOwnAnnotationAndANewTemplateDoNotWakeIt() {
    Deployment revised =
        new DeploymentBuilder(gated)
            .editMetadata()
            .withGeneration(2L)
            .addToAnnotations("deployment.kubernetes.io/revision", "2")
            .endMetadata()
            .editSpec()
            .editTemplate()
            .editSpec()
            .editFirstContainer()
            .withImage("web:3")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(GateReconciler.gateRelevantChange(revised, gated)).isFalse();
  }

  @Test
  void itsLabelItsAnnotationsAndSpecPausedDo() {
    assertThat(
            GateReconciler.gateRelevantChange(
                new DeploymentBuilder(gated)
                    .editMetadata()
                    .addToAnnotations(SchemaGateApi.BYPASS_ANNOTATION, "true")
                    .endMetadata()
                    .build(),
                gated))
        .isTrue();
    assertThat(
            GateReconciler.gateRelevantChange(
                new DeploymentBuilder(gated).editSpec().withPaused(true).endSpec().build(), gated))
        .isTrue();
    assertThat(
            GateReconciler.gateRelevantChange(
                new DeploymentBuilder(gated)
                    .editMetadata()
                    .removeFromLabels(SchemaGateApi.GATE_LABEL)
                    .endMetadata()
                    .build(),
                gated))
        .isTrue();
    Deployment plain = Fixtures.app("shop", "plain", null, Map.of());
    assertThat(
            GateReconciler.gateRelevantChange(
                new DeploymentBuilder(plain).editSpec().withPaused(true).endSpec().build(), plain))
        .as("an ungated Deployment never")
        .isFalse();
  }

  @Test
  void aMigrationWakesItsDeploymentsOnlyWhenItsGateCanMove() {
    SchemaMigration noStatus = GateDecisionTest.migration(1, 1, false, "3");
    noStatus.setStatus(null);
    SchemaMigration migrating = GateDecisionTest.migration(1, 1, false, "3");
    SchemaMigration ready = GateDecisionTest.migration(1, 1, true, "7");
    SchemaMigration newGeneration = GateDecisionTest.migration(2, 1, true, "7");
    assertThat(GateReconciler.gateView(noStatus)).isEqualTo(GateReconciler.gateView(migrating));
    assertThat(GateReconciler.gateView(ready)).isEqualTo("ready at 7");
    assertThat(GateReconciler.gateView(newGeneration)).isEqualTo("shut");
  }
}
