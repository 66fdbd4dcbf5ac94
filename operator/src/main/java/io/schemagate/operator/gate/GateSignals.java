package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.EventRecorder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the gate tells people: Events on the Deployment and on its SchemaMigration, and the {@link
 * GateCounters}. The reconciler and the webhook both report here, after the API server accepted the
 * change (never for a dry run).
 *
 * <p>A hold placed or released is always told. A gate that stays shut for a reason a person must
 * fix (a malformed {@code requires-revision}, a missing SchemaMigration) and a bypass that lets a
 * Deployment through a shut gate are told once per Deployment and message, not on every
 * reconciliation.
 */
public final class GateSignals {
  /** Event reason: a Deployment was paused by the gate. */
  public static final String HELD = "DeploymentHeld";

  /** Event reason: the gate released a Deployment it held. */
  public static final String RELEASED = "DeploymentReleased";

  /** Event reason (Warning): {@code schemagate.io/bypass} let a Deployment through a shut gate. */
  public static final String BYPASSED = "GateBypassed";

  /** How many Deployments the once-per-message memory keeps (least recently told goes first). */
  private static final int MEMORY = 10_000;

  private final EventRecorder events;
  private final GateCounters counters;
  private final Map<String, String> told =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > MEMORY;
            }
          });

  public GateSignals(EventRecorder events, GateCounters counters) {
    this.events = events;
    this.counters = counters;
  }

  public GateCounters counters() {
    return counters;
  }

  /**
   * A hold of {@code migration} (the gate label's value) was placed on {@code deployment}; {@code
   * sm} is that SchemaMigration, null when it does not exist. A Deployment held as it is created
   * has no uid yet, and an Event without one is not shown with it ({@code kubectl describe}): its
   * Event is left to the reconciler's first look ({@link #shut}). The SchemaMigration's Event comes
   * from its own reconciler, when its status first lists the Deployment, so that a hold placed
   * before it existed is told too.
   */
  public void held(HasMetadata deployment, GateDecision gate, String migration) {
    String name = deployment.getMetadata().getName();
    String namespace = deployment.getMetadata().getNamespace();
    counters.add(GateCounters.Kind.HELD, namespace, migration);
    if (name != null && deployment.getMetadata().getUid() != null) {
      told.put(key(deployment), gate.why() + gate.message());
      tellHeld(deployment, gate);
    }
  }

  private void tellHeld(HasMetadata deployment, GateDecision gate) {
    if (needsAPerson(gate)) {
      events.warning(deployment, gate.why().name(), gate.message());
    } else {
      events.normal(deployment, HELD, gate.message());
    }
  }

  /**
   * {@code deployment}'s hold by {@code migration} (its paused-by annotation) was released; {@code
   * sm} is that SchemaMigration, null when it no longer exists.
   */
  public void released(
      HasMetadata deployment, GateDecision gate, String migration, SchemaMigration sm) {
    String name = deployment.getMetadata().getName();
    String namespace = deployment.getMetadata().getNamespace();
    counters.add(GateCounters.Kind.RELEASED, namespace, migration);
    boolean bypass = gate.why() == GateDecision.Why.Bypassed;
    if (bypass) {
      counters.add(GateCounters.Kind.BYPASSED, namespace, migration);
      told.put(key(deployment), GateDecision.Why.Bypassed.name());
    } else {
      told.remove(key(deployment));
    }
    String reason = bypass ? BYPASSED : RELEASED;
    if (name != null) {
      if (bypass) {
        events.warning(deployment, reason, "released: " + gate.message());
      } else {
        events.normal(deployment, reason, "released: " + gate.message());
      }
    }
    if (sm != null) {
      String message = "released Deployment " + name + ": " + gate.message();
      if (bypass) {
        events.warning(sm, reason, message);
      } else {
        events.normal(sm, reason, message);
      }
    }
  }

  /**
   * {@code deployment}'s gate is shut and it stays paused, by schemagate ({@code ours}) or by a
   * person. Told when schemagate's hold has not been told yet in this process (placed at its
   * creation, or before a restart), and once per message when a person must act.
   */
  public void shut(HasMetadata deployment, GateDecision gate, boolean ours) {
    if (deployment.getMetadata().getName() == null) {
      return;
    }
    String said = gate.why() + gate.message();
    String before = told.get(key(deployment));
    if (ours && before == null) {
      told.put(key(deployment), said);
      tellHeld(deployment, gate);
    } else if (needsAPerson(gate) && !said.equals(before)) {
      told.put(key(deployment), said);
      events.warning(deployment, gate.why().name(), gate.message());
    }
  }

  /**
   * {@code deployment} rolls out because of {@code schemagate.io/bypass} although its gate, {@code
   * shut}, would hold it: told and counted once per Deployment until it is gated normally again.
   */
  public void bypassing(
      HasMetadata deployment, GateDecision shut, String migration, SchemaMigration sm) {
    if (GateDecision.Why.Bypassed.name().equals(told.put(key(deployment), "Bypassed"))) {
      return;
    }
    counters.add(GateCounters.Kind.BYPASSED, deployment.getMetadata().getNamespace(), migration);
    String message =
        "rolls out past a shut gate (" + shut.message() + ") because of schemagate.io/bypass";
    events.warning(deployment, BYPASSED, message);
    if (sm != null) {
      events.warning(
          sm, BYPASSED, "Deployment " + deployment.getMetadata().getName() + " " + message);
    }
  }

  /**
   * What the webhook decided for a request the API server then stored: a hold placed or released at
   * admission is told like the reconciler's. Nothing for a dry run, or for a request it did not
   * gate. (The API server may still refuse the request after the webhook, e.g. for a quota: then
   * the Event tells of a change that did not happen; the reconciler's next look corrects the hold
   * either way.)
   */
  public void admitted(GateAdmission.Outcome outcome) {
    if (outcome.dryRun() || outcome.gate() == null || outcome.deployment() == null) {
      return;
    }
    io.fabric8.kubernetes.api.model.apps.Deployment d = outcome.deployment();
    if (d.getMetadata().getName() == null) {
      d.getMetadata().setName(outcome.name());
    }
    if (d.getMetadata().getNamespace() == null) {
      d.getMetadata().setNamespace(outcome.namespace());
    }
    String migration = HeldDeployments.gate(d);
    switch (outcome.hold()) {
      case PLACE -> held(d, outcome.gate(), migration);
      case RELEASE -> {
        String holder = HeldDeployments.pausedBy(d);
        released(
            d,
            outcome.gate(),
            holder,
            java.util.Objects.equals(holder, migration) ? outcome.migration() : null);
      }
      case KEEP -> {
        // Nothing changed at admission; the reconciler tells what stays as it is.
      }
    }
  }

  /** The gate is open (or the label is gone) without a change: forget what was told. */
  public void settled(HasMetadata deployment) {
    told.remove(key(deployment));
  }

  private static boolean needsAPerson(GateDecision gate) {
    return gate.why() == GateDecision.Why.InvalidRequiredRevision
        || gate.why() == GateDecision.Why.MigrationNotFound;
  }

  private static String key(HasMetadata d) {
    return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
  }
}
