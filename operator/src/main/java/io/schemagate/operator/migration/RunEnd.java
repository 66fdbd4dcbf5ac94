package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Reason;
import java.util.List;

/**
 * How a run ended, as the reconciler records it: the reason (null on success), a short message, and
 * what the runner's result said of the database. {@code stateKnown} is true only when that result
 * read the database's state after the run; otherwise the revision fields are not to be believed.
 */
public record RunEnd(
    boolean succeeded,
    Reason reason,
    String message,
    boolean stateKnown,
    String currentRevision,
    String headRevision,
    String targetRevision,
    List<String> pending,
    Integer appliedCount,
    Double durationSeconds) {

  /** A run that ended without a result (the Job vanished, the runner crashed, ...). */
  public static RunEnd failedWithoutResult(Reason reason, String message) {
    return new RunEnd(false, reason, message, false, null, null, null, List.of(), null, null);
  }
}
