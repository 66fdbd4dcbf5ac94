package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateDecision;
import io.schemagate.operator.gate.HeldDeployments;
import io.schemagate.operator.gate.Hold;
import io.schemagate.operator.kube.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When the sandbox considers the cluster done: every SchemaMigration Ready or Stalled at its
 * generation, every Deployment's hold what the operator's gate makes of it, and every
 * SchemaMigration's {@code gatedDeployments} the Deployments it holds.
 */
final class Settle {
  private Settle() {}

  /** Waits until everything settled; false when {@code timeout} passed first. */
  static boolean await(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<SchemaMigration> all =
          client.resources(SchemaMigration.class).inAnyNamespace().list().getItems();
      List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
      if (settled(all, deployments)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /**
   * Whether {@code all} SchemaMigrations settled and the {@code deployments} are held as their
   * gates say: none that schemagate holds has an open gate (the reconciler has yet to release it),
   * none whose gate is shut runs (it has yet to hold it), and each SchemaMigration's status lists
   * the Deployments it holds.
   */
  static boolean settled(List<SchemaMigration> all, List<Deployment> deployments) {
    return all.stream().allMatch(Settle::settled)
        && deployments.stream().allMatch(d -> holdSettled(d, all))
        && all.stream().allMatch(sm -> gatedDeploymentsListed(sm, deployments));
  }

  static boolean settled(SchemaMigration sm) {
    return current(sm) && (isTrue(sm, Conditions.READY) || isTrue(sm, Conditions.STALLED));
  }

  static boolean ready(SchemaMigration sm) {
    return current(sm) && isTrue(sm, Conditions.READY);
  }

  /** The operator's gate leaves {@code d} as it is ({@link Hold#KEEP}). */
  static boolean holdSettled(Deployment d, List<SchemaMigration> all) {
    String namespace = d.getMetadata().getNamespace();
    var labels = d.getMetadata().getLabels();
    String gate = HeldDeployments.gate(d);
    SchemaMigration migration =
        all.stream()
            .filter(sm -> Objects.equals(sm.getMetadata().getNamespace(), namespace))
            .filter(sm -> Objects.equals(sm.getMetadata().getName(), gate))
            .findFirst()
            .orElse(null);
    var annotations = d.getMetadata().getAnnotations();
    GateDecision decision = GateDecision.decide(namespace, labels, annotations, migration);
    Boolean paused = d.getSpec() == null ? null : d.getSpec().getPaused();
    return Hold.next(paused, annotations, decision) == Hold.KEEP;
  }

  private static boolean gatedDeploymentsListed(SchemaMigration sm, List<Deployment> deployments) {
    List<Deployment> own =
        deployments.stream()
            .filter(
                d ->
                    Objects.equals(d.getMetadata().getNamespace(), sm.getMetadata().getNamespace()))
            .toList();
    List<String> listed =
        sm.getStatus() == null || sm.getStatus().getGatedDeployments() == null
            ? List.of()
            : sm.getStatus().getGatedDeployments();
    return listed.equals(HeldDeployments.of(sm.getMetadata().getName(), own));
  }

  private static boolean current(SchemaMigration sm) {
    return sm.getStatus() != null
        && Objects.equals(sm.getStatus().getObservedGeneration(), sm.getMetadata().getGeneration());
  }

  static boolean isTrue(SchemaMigration sm, String type) {
    return sm.getStatus() != null && Conditions.isTrue(sm.getStatus().getConditions(), type);
  }

  static Condition condition(SchemaMigration sm, String type) {
    return sm.getStatus() == null ? null : Conditions.find(sm.getStatus().getConditions(), type);
  }
}
