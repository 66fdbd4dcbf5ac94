package io.schemagate.operator.reconcile;

import io.schemagate.api.v1alpha1.Reason;
import java.util.List;

/**
 * How a run ended, as the reconciler records it: the reason (null on success), a short message, and
 * what the runner's result said of the database when there was one.
 */
public record RunEnd(
    boolean succeeded,
    Reason reason,
    String message,
    boolean hadResult,
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
