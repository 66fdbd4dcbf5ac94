package io.schemagate.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateReconciler;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.kube.AccessCheck;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.metrics.MigrationMetrics;
import io.schemagate.operator.migration.SchemaMigrationReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Wires the reconciler into a JOSDK operator. Production, tests and the sandbox all start it here,
 * with the same patching mode: server-side apply off, so the path that ships is the tested one
 * (fabric8's mock API server does not implement server-side apply).
 */
public final class SchemaGateOperator {
  /**
   * A failed reconciliation (a refused or unanswered API request, a fault) is retried after 1 s,
   * doubling up to 5 min, without limit: JOSDK's default gives up after 5 attempts, and a quota or
   * RBAC rule fixed an hour later must still let the resource run.
   */
  static GenericRetry reconcileRetry() {
    return new GenericRetry()
        .withoutMaxAttempts()
        .setInitialInterval(Duration.ofSeconds(1))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis());
  }

  /**
   * What the informers list and watch (SchemaMigrations, the operator's Jobs and pods, and the
   * Deployments of the gate): without it the operator cannot start. Checked before it starts, so
   * that a missing rule is named.
   */
  static final List<AccessCheck.Access> NEEDED_TO_START =
      List.of(
          new AccessCheck.Access("list", SchemaGateApi.GROUP, "schemamigrations"),
          new AccessCheck.Access("watch", SchemaGateApi.GROUP, "schemamigrations"),
          new AccessCheck.Access("list", "batch", "jobs"),
          new AccessCheck.Access("watch", "batch", "jobs"),
          new AccessCheck.Access("list", "", "pods"),
          new AccessCheck.Access("watch", "", "pods"),
          new AccessCheck.Access("list", "apps", "deployments"),
          new AccessCheck.Access("watch", "apps", "deployments"));

  private SchemaGateOperator() {}

  /** Builds and registers the operator; call {@link Operator#start()} to run it. */
  public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock) {
    return builder(client, settings).clock(clock).build();
  }

  /** An operator on {@code client} with {@code settings}, and what else it is wired to. */
  public static Builder builder(KubernetesClient client, OperatorSettings settings) {
    return new Builder(client, settings);
  }

  /** What the operator is wired to besides its client and settings; each has a default. */
  public static final class Builder {
    private final KubernetesClient client;
    private final OperatorSettings settings;
    private Clock clock = Clock.systemUTC();
    private Metrics metrics = Metrics.NOOP;
    private InformerStoppedHandler onInformerStopped;
    private GateSignals gate;
    private MigrationMetrics migrations;

    private Builder(KubernetesClient client, OperatorSettings settings) {
      this.client = Objects.requireNonNull(client);
      this.settings = Objects.requireNonNull(settings);
    }

    /** The clock of status times and Events (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** JOSDK's reconciliation metrics (default: none). */
    public Builder metrics(Metrics metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    /**
     * What happens when an informer stops on an error. Unset, JOSDK's answer: it exits the process,
     * so that Kubernetes restarts the pod (and the other replica takes the Lease); the sandbox,
     * where the operator shares the JVM with the rest, restarts the operator instead.
     */
    public Builder onInformerStopped(InformerStoppedHandler handler) {
      this.onInformerStopped = handler;
      return this;
    }

    /**
     * Where the gate's Events and counters go, shared with the webhook of the same process. Unset:
     * the operator's own, with counters of its own.
     */
    public Builder gate(GateSignals gate) {
      this.gate = gate;
      return this;
    }

    /** The per-SchemaMigration series (unset: none). */
    public Builder migrationMetrics(MigrationMetrics migrations) {
      this.migrations = migrations;
      return this;
    }

    /** Builds and registers the operator; call {@link Operator#start()} to run it. */
    public Operator build() {
      return SchemaGateOperator.build(
          client, settings, clock, metrics, onInformerStopped, gate, migrations);
    }
  }

  private static Operator build(
      KubernetesClient client,
      OperatorSettings settings,
      Clock clock,
      Metrics metrics,
      InformerStoppedHandler onInformerStopped,
      GateSignals gate,
      MigrationMetrics migrations) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(metrics)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads());
              if (onInformerStopped != null) {
                o.withInformerStoppedHandler(onInformerStopped);
              }
              OperatorSettings.Lease lease = settings.lease();
              if (lease != null) {
                // JOSDK starts every replica's informers and only the leader's reconciliations:
                // the per-resource series are exported while this replica leads, not before.
                LeaderCallbacks leading = null;
                if (migrations != null) {
                  migrations.leading(false);
                  leading =
                      new LeaderCallbacks(
                          () -> migrations.leading(true),
                          () -> migrations.leading(false),
                          identity -> {});
                }
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        lease.name(),
                        lease.namespace(),
                        lease.duration(),
                        lease.renewDeadline(),
                        lease.retryPeriod(),
                        lease.identity(),
                        leading,
                        lease.exitOnLoss()));
              }
            }) {
          /**
           * Refuses to start, naming what is missing, when the API server would refuse an informer:
           * JOSDK would otherwise stop the process from an informer's thread (a watch refused after
           * its list passed) or fail with the watch's bare "Forbidden".
           */
          @Override
          public synchronized void start() {
            List<String> refused =
                AccessCheck.refused(client, NEEDED_TO_START, settings.watchNamespaces());
            if (!refused.isEmpty()) {
              throw new OperatorException(
                  "the operator cannot start: the API server refuses its account "
                      + String.join(", ", refused)
                      + "; grant it the rules of operator/deploy/rbac.yaml (docs/security.md)");
            }
            super.start();
          }
        };
    EventRecorder events = new EventRecorder(client, clock);
    GateSignals signals = gate != null ? gate : new GateSignals(events, new GateCounters());
    SchemaMigrationReconciler reconciler =
        new SchemaMigrationReconciler(settings, clock, events, migrations);
    operator.register(
        reconciler,
        c -> {
          // Annotation changes (schemagate.io/retry) must reach the reconciler too, but not its
          // own status writes, which the cache has already (a third of all its reconciliations).
          c.withGenerationAware(false);
          c.withOnUpdateFilter(SchemaGateOperator::beyondStatus);
          c.withRetry(reconcileRetry());
          watch(c, settings);
        });
    operator.register(
        new GateReconciler(signals),
        c -> {
          // Every Deployment of the watched namespaces is listed (a hold whose label was removed
          // must still be released), but only those of the gate are reconciled, and only when a
          // change can move their gate: labels and annotations do not change the generation.
          c.withGenerationAware(false);
          c.withOnAddFilter(GateReconciler::concernsGate);
          c.withOnUpdateFilter(GateReconciler::gateRelevantChange);
          c.withRetry(reconcileRetry());
          watch(c, settings);
        });
    return operator;
  }

  /** Whether a SchemaMigration's update changed more than its status. */
  static boolean beyondStatus(SchemaMigration now, SchemaMigration before) {
    var a = now.getMetadata();
    var b = before.getMetadata();
    return !Objects.equals(a.getGeneration(), b.getGeneration())
        || !Objects.equals(a.getAnnotations(), b.getAnnotations())
        || !Objects.equals(a.getLabels(), b.getLabels())
        || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
        || !Objects.equals(a.getFinalizers(), b.getFinalizers());
  }

  private static void watch(ControllerConfigurationOverrider<?> c, OperatorSettings settings) {
    if (settings.watchNamespaces().isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(settings.watchNamespaces());
    }
  }
}
