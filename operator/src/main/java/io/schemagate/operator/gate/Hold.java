package io.schemagate.operator.gate;

import io.schemagate.api.SchemaGateApi;
import java.util.Map;

/**
 * What to do with a Deployment's hold, given its gate: a hold is {@code spec.paused: true} with
 * {@code schemagate.io/paused-by: <SchemaMigration>}, and schemagate releases only the holds it
 * placed. A Deployment a person paused (paused, without the annotation) is left as it is either
 * way: the operator neither claims nor ends someone else's pause.
 */
public enum Hold {
  /** Nothing to change. */
  KEEP,
  /** Pause it and say who paused it. */
  PLACE,
  /** Unpause it and remove the annotation: schemagate's own hold, on an open gate. */
  RELEASE;

  /**
   * The change for a Deployment whose {@code spec.paused} is {@code paused} (null: false), with
   * {@code annotations} (may be null), when its gate is {@code gate}.
   */
  public static Hold next(Boolean paused, Map<String, String> annotations, GateDecision gate) {
    boolean ours =
        annotations != null && annotations.containsKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    boolean isPaused = Boolean.TRUE.equals(paused);
    if (gate.open()) {
      return ours ? RELEASE : KEEP;
    }
    // Shut: a paused Deployment stays as it is (ours already, or a person's, which stays theirs);
    // one that runs is held, also when it was ours and someone unpaused it by hand (the
    // break-glass is schemagate.io/bypass).
    return isPaused ? KEEP : PLACE;
  }
}
