package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.Conditions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's reconciler: for every Deployment with the gate label (or with a hold of schemagate's
 * whose label has since gone), decides its gate from the SchemaMigration it names and places or
 * releases the hold ({@link Hold}). It runs whether or not the webhook is installed: the webhook
 * only places the hold earlier, at admission, so that no ReplicaSet starts first.
 *
 * <p>It is triggered by the Deployment's own changes (labels, annotations, spec; not its status)
 * and by changes of its SchemaMigration that can open or shut the gate. Every change is a JSON JSON
 * patch of {@code spec.paused} and the {@code schemagate.io/paused-by} annotation guarded by the
 * Deployment's resourceVersion: when someone changed the Deployment in between, it is decided again
 * on the informer's newer copy, so a pause a person just made is never taken for schemagate's.
 */
@ControllerConfiguration(name = GateReconciler.NAME)
public final class GateReconciler implements Reconciler<Deployment> {
  public static final String NAME = "deployment-gate";
  private static final Logger LOG = LoggerFactory.getLogger(GateReconciler.class);

  /** Index of the Deployment cache by {@code namespace/SchemaMigration} (label and paused-by). */
  private static final String BY_MIGRATION = "gate-migration";

  /** When a write refused for a stale resourceVersion is decided again. */
  private static final Duration CONFLICT_RETRY = Duration.ofMillis(200);

  private final GateSignals signals;

  public GateReconciler(GateSignals signals) {
    this.signals = signals;
  }

  /** Whether a Deployment concerns the gate: it has the label or a hold of schemagate's. */
  public static boolean concernsGate(HasMetadata d) {
    return HeldDeployments.gate(d) != null || HeldDeployments.pausedBy(d) != null;
  }

  /**
   * Whether a change of a Deployment can change its gate or its hold: its gate label, its {@code
   * schemagate.io/} annotations or {@code spec.paused}. Its template, its status and the Deployment
   * controller's own annotations cannot.
   */
  public static boolean gateRelevantChange(Deployment now, Deployment before) {
    if (!concernsGate(now) && !concernsGate(before)) {
      return false;
    }
    return !Objects.equals(HeldDeployments.gate(now), HeldDeployments.gate(before))
        || !ours(now.getMetadata().getAnnotations())
            .equals(ours(before.getMetadata().getAnnotations()))
        || HeldDeployments.paused(now) != HeldDeployments.paused(before);
  }

  /** The {@code schemagate.io/} annotations. */
  private static Map<String, String> ours(Map<String, String> annotations) {
    Map<String, String> out = new HashMap<>();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith(SchemaGateApi.GROUP + "/")) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

  @Override
  public List<EventSource<?, Deployment>> prepareEventSources(
      EventSourceContext<Deployment> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            BY_MIGRATION,
            d ->
                HeldDeployments.migrations(d).stream()
                    .map(name -> d.getMetadata().getNamespace() + "/" + name)
                    .collect(Collectors.toList()));
    InformerEventSource<SchemaMigration, Deployment> migrations =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SchemaMigration.class, Deployment.class)
                .withName("schemamigrations")
                .withSecondaryToPrimaryMapper(
                    sm ->
                        context
                            .getPrimaryCache()
                            .byIndex(
                                BY_MIGRATION,
                                sm.getMetadata().getNamespace() + "/" + sm.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (Deployment d) -> {
                      String name = HeldDeployments.gate(d);
                      return name == null
                          ? Set.of()
                          : Set.of(new ResourceID(name, d.getMetadata().getNamespace()));
                    })
                .withOnUpdateFilter((now, before) -> !gateView(now).equals(gateView(before)))
                // A new SchemaMigration is shut until it has migrated: its Deployments were shut
                // already (it was missing). One that arrives Ready (the informer's list after a
                // restart) may open their gates.
                .withOnAddFilter(sm -> !SHUT.equals(gateView(sm)))
                .withNamespacesInheritedFromController()
                .build(),
            context);
    return List.of(migrations);
  }

  /** {@link #gateView} of a SchemaMigration whose gate is shut whatever a Deployment requires. */
  static final String SHUT = "shut";

  /**
   * What of a SchemaMigration can move its Deployments' holds: whether its gate can be open (it has
   * observed its generation and is Ready) and at which revision. Its other changes while it
   * migrates (Running, a retry, a failure: shut all the same) move nothing.
   */
  static String gateView(SchemaMigration sm) {
    var status = sm.getStatus();
    if (status == null
        || status.getObservedGeneration() == null
        || !status.getObservedGeneration().equals(sm.getMetadata().getGeneration())
        || !Conditions.isTrue(status.getConditions(), Conditions.READY)) {
      return SHUT;
    }
    return "ready at " + status.getCurrentRevision();
  }

  @Override
  public UpdateControl<Deployment> reconcile(Deployment d, Context<Deployment> context) {
    try {
      decide(d, migrationOf(d, context), context.getClient());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return UpdateControl.noUpdate(); // deleted meanwhile: nothing to hold
      }
      if (e.getCode() == 409) {
        // Changed since the cache saw it (often only its status): decided again on the new copy,
        // which the informer has by then. Not every change triggers this reconciler.
        return UpdateControl.<Deployment>noUpdate().rescheduleAfter(CONFLICT_RETRY);
      }
      throw e;
    }
    return UpdateControl.noUpdate();
  }

  private static SchemaMigration migrationOf(Deployment d, Context<Deployment> context) {
    String name = HeldDeployments.gate(d);
    if (name == null) {
      return null;
    }
    return context
        .getSecondaryResource(SchemaMigration.class)
        .filter(sm -> name.equals(sm.getMetadata().getName()))
        .orElse(null);
  }

  /** Decides and applies the hold of {@code d}, whose gate label names {@code sm} (or null). */
  private void decide(Deployment d, SchemaMigration sm, KubernetesClient client) {
    String namespace = d.getMetadata().getNamespace();
    Map<String, String> labels = d.getMetadata().getLabels();
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    GateDecision gate = GateDecision.decide(namespace, labels, annotations, sm);
    Hold hold = Hold.next(d.getSpec() == null ? null : d.getSpec().getPaused(), annotations, gate);
    String migration = HeldDeployments.gate(d);
    switch (hold) {
      case PLACE -> {
        write(client, d, Hold.PLACE, migration);
        LOG.info("Deployment {}/{}: {}", namespace, d.getMetadata().getName(), gate.message());
        signals.held(d, gate, migration);
      }
      case RELEASE -> {
        String holder = HeldDeployments.pausedBy(d);
        write(client, d, Hold.RELEASE, null);
        LOG.info(
            "Deployment {}/{} released: {}", namespace, d.getMetadata().getName(), gate.message());
        signals.released(d, gate, holder, Objects.equals(holder, migration) ? sm : null);
      }
      case KEEP -> {
        if (!gate.open()) {
          signals.shut(d, gate, HeldDeployments.pausedBy(d) != null);
        } else if (gate.why() == GateDecision.Why.Bypassed) {
          GateDecision without = withoutBypass(namespace, labels, annotations, sm);
          if (!without.open()) {
            signals.bypassing(d, without, migration, sm);
          } else {
            signals.settled(d);
          }
        } else {
          signals.settled(d);
        }
      }
    }
  }

  private static GateDecision withoutBypass(
      String namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      SchemaMigration sm) {
    Map<String, String> rest = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
    rest.remove(SchemaGateApi.BYPASS_ANNOTATION);
    return GateDecision.decide(namespace, labels, rest, sm);
  }

  /**
   * Carries out {@code hold} on {@code d} if it is still at the resourceVersion decided on (409
   * otherwise).
   */
  private static void write(KubernetesClient client, Deployment d, Hold hold, String migration) {
    var patch =
        HoldPatch.guarded(
            hold,
            d.getMetadata().getAnnotations(),
            migration,
            d.getMetadata().getResourceVersion());
    client
        .apps()
        .deployments()
        .inNamespace(d.getMetadata().getNamespace())
        // With the item, not by name: by name fabric8 reads the Deployment first (a get).
        .resource(d)
        .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
  }
}
