package io.schemagate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateAdmission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The SchemaMigrations the webhook reads, from informers of its own: every replica serves the
 * webhook, but only the leader runs the reconcilers (and their informers). Started and synced
 * before the webhook answers, so that no review decides on an empty cache (which would hold every
 * gated Deployment as if its SchemaMigration were missing).
 */
public final class MigrationCache implements GateAdmission.Migrations, AutoCloseable {
  private final List<SharedIndexInformer<SchemaMigration>> informers;

  private MigrationCache(List<SharedIndexInformer<SchemaMigration>> informers) {
    this.informers = informers;
  }

  /**
   * Informs on the SchemaMigrations of {@code namespaces} (empty: all) and waits up to {@code sync}
   * for their first list.
   */
  public static MigrationCache start(
      KubernetesClient client, Set<String> namespaces, Duration sync) {
    List<SharedIndexInformer<SchemaMigration>> informers = new ArrayList<>();
    if (namespaces.isEmpty()) {
      informers.add(client.resources(SchemaMigration.class).inAnyNamespace().runnableInformer(0));
    } else {
      for (String ns : namespaces) {
        informers.add(client.resources(SchemaMigration.class).inNamespace(ns).runnableInformer(0));
      }
    }
    MigrationCache cache = new MigrationCache(informers);
    try {
      for (SharedIndexInformer<SchemaMigration> informer : informers) {
        informer.start().toCompletableFuture().get(sync.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      cache.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "the webhook's SchemaMigration informer did not sync within " + sync + ": " + e, e);
    }
    return cache;
  }

  @Override
  public SchemaMigration get(String namespace, String name) {
    String key = Cache.namespaceKeyFunc(namespace, name);
    for (SharedIndexInformer<SchemaMigration> informer : informers) {
      SchemaMigration sm = informer.getStore().getByKey(key);
      if (sm != null) {
        return sm;
      }
    }
    return null;
  }

  /** Whether every informer is watching. */
  public boolean isWatching() {
    return informers.stream().allMatch(SharedIndexInformer::isWatching);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }
}
