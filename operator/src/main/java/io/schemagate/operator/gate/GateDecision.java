package io.schemagate.operator.gate;

import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Revision;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.Conditions;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a Deployment may roll out, as {@code DESIGN.md} defines the gate: a pure function of the
 * Deployment's gate label and annotations and of its SchemaMigration (null when there is none).
 *
 * <p>The gate is <b>open</b> when the SchemaMigration exists, has observed its current generation,
 * is Ready, and (when the Deployment requires a revision) its {@code currentRevision} is that
 * revision or a later one in Flyway's version order. A Deployment without the gate label is not
 * gated; {@code schemagate.io/bypass: "true"} opens the gate whatever the rest says. A malformed
 * {@code schemagate.io/requires-revision} keeps the gate shut: nobody can tell which schema the
 * Deployment needs.
 *
 * @param open whether the Deployment may roll out
 * @param why the reason, from a closed set (it becomes an Event reason and a metric label)
 * @param message one line for the Event on the Deployment, naming what it waits for
 */
public record GateDecision(boolean open, Why why, String message) {

  /** Why the gate is open or shut. */
  public enum Why {
    /** No gate label: the Deployment is not gated. */
    NotGated(true),
    /** The SchemaMigration is Ready at its generation, at or past the required revision. */
    SchemaReady(true),
    /** {@code schemagate.io/bypass: "true"}: released and ignored (break-glass). */
    Bypassed(true),
    /** {@code schemagate.io/requires-revision} is not a revision. */
    InvalidRequiredRevision(false),
    /** No SchemaMigration of the label's name in the Deployment's namespace. */
    MigrationNotFound(false),
    /** The SchemaMigration's latest generation has not been reconciled yet. */
    MigrationNotObserved(false),
    /** The SchemaMigration is not Ready (migrating, failed, suspended, ...). */
    MigrationNotReady(false),
    /** Ready, but the database is below the revision the Deployment requires. */
    RevisionBelowRequired(false);

    private final boolean open;

    Why(boolean open) {
      this.open = open;
    }
  }

  public GateDecision {
    Objects.requireNonNull(why, "why");
    if (open != why.open) {
      throw new IllegalArgumentException(why + " is " + (why.open ? "open" : "shut"));
    }
  }

  private static GateDecision of(Why why, String message) {
    return new GateDecision(why.open, why, message);
  }

  /**
   * The gate of a Deployment in {@code namespace} with {@code labels} and {@code annotations}
   * (either may be null), given the SchemaMigration its gate label names ({@code migration}, null
   * when it does not exist).
   */
  public static GateDecision decide(
      String namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      SchemaMigration migration) {
    String name = labels == null ? null : labels.get(SchemaGateApi.GATE_LABEL);
    if (name == null || name.isBlank()) {
      return of(Why.NotGated, "not gated (no " + SchemaGateApi.GATE_LABEL + " label)");
    }
    String ref = "SchemaMigration " + namespace + "/" + name;
    Map<String, String> notes = annotations == null ? Map.of() : annotations;
    if ("true".equals(notes.get(SchemaGateApi.BYPASS_ANNOTATION))) {
      return of(
          Why.Bypassed,
          "gate of " + ref + " bypassed (" + SchemaGateApi.BYPASS_ANNOTATION + ": \"true\")");
    }
    Revision required = null;
    String requiredText = notes.get(SchemaGateApi.REQUIRES_REVISION_ANNOTATION);
    if (requiredText != null) {
      try {
        required = Revision.parse(requiredText.strip());
      } catch (IllegalArgumentException e) {
        return of(
            Why.InvalidRequiredRevision,
            "held: " + SchemaGateApi.REQUIRES_REVISION_ANNOTATION + ": " + e.getMessage());
      }
    }
    if (migration == null) {
      return of(
          Why.MigrationNotFound,
          "held: "
              + ref
              + " does not exist (create it, or remove the "
              + SchemaGateApi.GATE_LABEL
              + " label to un-gate)");
    }
    var status = migration.getStatus();
    Long generation = migration.getMetadata().getGeneration();
    if (status == null
        || status.getObservedGeneration() == null
        || !status.getObservedGeneration().equals(generation)) {
      return of(
          Why.MigrationNotObserved,
          "held: " + ref + " generation " + generation + " is not reconciled yet");
    }
    if (!Conditions.isTrue(status.getConditions(), Conditions.READY)) {
      var ready = Conditions.find(status.getConditions(), Conditions.READY);
      String reason = ready == null ? "no Ready condition" : ready.getReason();
      return of(Why.MigrationNotReady, "held: " + ref + " is not Ready (" + reason + ")");
    }
    if (required != null) {
      String current = status.getCurrentRevision();
      Revision at = null;
      try {
        at = current == null || current.isBlank() ? null : Revision.parse(current);
      } catch (IllegalArgumentException e) {
        at = null; // a revision the operator did not write: unknown
      }
      if (at == null || !at.isAtLeast(required)) {
        return of(
            Why.RevisionBelowRequired,
            "held: "
                + ref
                + " is at revision "
                + (current == null || current.isBlank() ? "(none)" : current)
                + ", this Deployment requires "
                + required);
      }
      return of(
          Why.SchemaReady,
          ref + " is Ready at revision " + current + " (requires " + required + ")");
    }
    return of(Why.SchemaReady, ref + " is Ready at revision " + status.getCurrentRevision());
  }
}
