package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
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
    return current(sm) && (isTrue(sm, "Ready") || isTrue(sm, "Stalled"));
  }

  static boolean ready(SchemaMigration sm) {
    return current(sm) && isTrue(sm, "Ready");
  }

  private static boolean current(SchemaMigration sm) {
    return sm.getStatus() != null
        && Objects.equals(sm.getStatus().getObservedGeneration(), sm.getMetadata().getGeneration());
  }

  static boolean isTrue(SchemaMigration sm, String type) {
    if (sm.getStatus() == null || sm.getStatus().getConditions() == null) {
      return false;
    }
    for (Condition c : sm.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  static Condition condition(SchemaMigration sm, String type) {
    if (sm.getStatus() == null || sm.getStatus().getConditions() == null) {
      return null;
    }
    return sm.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
