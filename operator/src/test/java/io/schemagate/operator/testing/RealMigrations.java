package io.schemagate.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.Map;

/** SchemaMigrations for tests on a real API server, as a user applies them. */
public final class RealMigrations {
  private RealMigrations() {}

  /**
   * Creates {@code name} in {@code ns} with its credentials Secret {@code <name>-db}, on a database
   * host of the namespace's own ({@code <name>-db.<ns>}), so that no two tests' resources target
   * one database.
   */
  public static void create(KubernetesClient admin, String ns, String name) {
    admin
        .secrets()
        .inNamespace(ns)
        .resource(Fixtures.credentials(ns, name + "-db", "migrator", "not-a-real-password"))
        .create();
    SchemaMigration sm =
        Fixtures.migration(
            ns,
            name,
            m ->
                m.getSpec()
                    .getDatabase()
                    .setUrl("jdbc:postgresql://" + name + "-db." + ns + ":5432/" + name));
    admin.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();
  }

  /**
   * A Deployment of one replica, as an application's manifest has it, gated on SchemaMigration
   * {@code gate} (null: not gated) with {@code annotations} (e.g. the required revision).
   */
  public static Deployment app(
      String ns, String name, String gate, Map<String, String> annotations) {
    DeploymentBuilder b =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .addToLabels("app", name)
            .addToAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/" + name + ":1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    if (gate != null) {
      b.editMetadata().addToLabels(SchemaGateApi.GATE_LABEL, gate).endMetadata();
    }
    return b.build();
  }

  /** Whether {@code d} is held by the gate of SchemaMigration {@code migration}. */
  public static boolean heldBy(Deployment d, String migration) {
    return d != null
        && Boolean.TRUE.equals(d.getSpec().getPaused())
        && d.getMetadata().getAnnotations() != null
        && migration.equals(
            d.getMetadata().getAnnotations().get(SchemaGateApi.PAUSED_BY_ANNOTATION));
  }
}
