package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.Conditions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the gate benchmark's own watches saw, and when ({@link System#nanoTime()} of this process,
 * at the moment the watch event arrived): per SchemaMigration the first event of its Job with
 * {@code succeeded > 0} or {@code SuccessCriteriaMet}, the first with {@code Complete=True}, and
 * the first of the SchemaMigration itself Ready at its generation; per Deployment the first event
 * showing it held and the first showing it running (not paused, no {@code paused-by}). Keys are
 * {@code namespace/name}; a Job is keyed by the SchemaMigration of its label.
 */
final class GateTimeline implements AutoCloseable {
  final Map<String, Long> jobSucceeded = new ConcurrentHashMap<>();
  final Map<String, Long> jobComplete = new ConcurrentHashMap<>();
  final Map<String, Long> migrationReady = new ConcurrentHashMap<>();
  final Map<String, Long> held = new ConcurrentHashMap<>();
  final Map<String, Long> running = new ConcurrentHashMap<>();
  private final List<Watch> watches;

  /**
   * Starts the three watches on {@code client}; {@code onSucceeded} is called with the
   * SchemaMigration's key the first time its Job is seen succeeded, on the watch's thread (it must
   * not block).
   */
  GateTimeline(KubernetesClient client, Consumer<String> onSucceeded) {
    Watch jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .withLabel(SchemaGateApi.MIGRATION_LABEL)
            .watch(
                watcher(
                    (Job job) -> {
                      long now = System.nanoTime();
                      String migration =
                          job.getMetadata().getNamespace()
                              + "/"
                              + job.getMetadata().getLabels().get(SchemaGateApi.MIGRATION_LABEL);
                      var status = job.getStatus();
                      if (status == null) {
                        return;
                      }
                      if (((status.getSucceeded() != null && status.getSucceeded() > 0)
                              || isTrue(status.getConditions(), "SuccessCriteriaMet"))
                          && jobSucceeded.putIfAbsent(migration, now) == null) {
                        onSucceeded.accept(migration);
                      }
                      if (isTrue(status.getConditions(), "Complete")) {
                        jobComplete.putIfAbsent(migration, now);
                      }
                    }));
    Watch migrations =
        client
            .resources(SchemaMigration.class)
            .inAnyNamespace()
            .watch(
                watcher(
                    (SchemaMigration sm) -> {
                      long now = System.nanoTime();
                      var status = sm.getStatus();
                      if (status != null
                          && sm.getMetadata().getGeneration().equals(status.getObservedGeneration())
                          && Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                        migrationReady.putIfAbsent(key(sm), now);
                      }
                    }));
    Watch deployments =
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .watch(
                watcher(
                    (Deployment d) -> {
                      long now = System.nanoTime();
                      boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
                      var annotations = d.getMetadata().getAnnotations();
                      boolean pausedBy =
                          annotations != null
                              && annotations.containsKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
                      if (paused) {
                        held.putIfAbsent(key(d), now);
                      } else if (!pausedBy) {
                        running.putIfAbsent(key(d), now);
                      }
                    }));
    this.watches = List.of(jobs, migrations, deployments);
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static boolean isTrue(List<JobCondition> conditions, String type) {
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static <T> Watcher<T> watcher(Consumer<T> onEvent) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          onEvent.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        if (cause != null) {
          System.err.println("bench: a watch closed: " + cause.getMessage());
        }
      }
    };
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
