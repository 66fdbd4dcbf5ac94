package io.schemagate.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.HeldDeployments;
import io.schemagate.testkit.Fixtures;

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
   * The label that tells test namespaces apart on a control plane the tests share: a test's webhook
   * configuration selects only the namespace labelled with its name.
   */
  public static final String TEST_LABEL = "schemagate.io/test";

  /** Creates namespace {@code ns}, labelled {@value #TEST_LABEL}: {@code ns}. */
  public static void namespace(KubernetesClient admin, String ns) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels(TEST_LABEL, ns)
                .endMetadata()
                .build())
        .create();
  }

  /** Whether {@code d} is held by the gate of SchemaMigration {@code migration}. */
  public static boolean heldBy(Deployment d, String migration) {
    return d != null && HeldDeployments.paused(d) && migration.equals(HeldDeployments.pausedBy(d));
  }
}
