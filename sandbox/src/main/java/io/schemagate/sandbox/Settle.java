package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** When the sandbox considers SchemaMigrations done: Ready or Stalled at their generation. */
final class Settle {
  private Settle() {}

  /** Waits until every SchemaMigration settled; false when {@code timeout} passed first. */
  static boolean await(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<SchemaMigration> all =
          client.resources(SchemaMigration.class).inAnyNamespace().list().getItems();
      if (all.stream().allMatch(Settle::settled)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  static boolean settled(SchemaMigration sm) {
    return current(sm) && (isTrue(sm, Conditions.READY) || isTrue(sm, Conditions.STALLED));
  }

  static boolean ready(SchemaMigration sm) {
    return current(sm) && isTrue(sm, Conditions.READY);
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
