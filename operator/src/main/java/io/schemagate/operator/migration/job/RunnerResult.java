package io.schemagate.operator.migration.job;

import java.util.List;

/**
 * The runner's compact result JSON (DESIGN.md "The runner"), as read back from the termination
 * message. Lists may be cut by the runner; the {@code *Omitted} counts say by how much. {@code
 * stateKnown} says whether {@code currentRevision}, {@code pending} and {@code future} are the
 * database's state after the run; when false (the runner never reached the history, or could not
 * read it again) they say nothing about the database.
 */
public record RunnerResult(
    String command,
    boolean succeeded,
    String currentRevision,
    String headRevision,
    String targetRevision,
    boolean stateKnown,
    int appliedCount,
    int pendingCount,
    List<String> pending,
    int pendingOmitted,
    List<String> future,
    int futureOmitted,
    long durationMs,
    List<String> warnings,
    int warningsOmitted,
    RunnerError error) {

  public RunnerResult {
    pending = List.copyOf(pending);
    future = List.copyOf(future);
    warnings = List.copyOf(warnings);
  }

  /** Why a run failed, as the runner reports it; {@code reason} is the runner's reason name. */
  public record RunnerError(
      String reason,
      String message,
      String version,
      String file,
      Integer line,
      String sqlState,
      boolean partial) {}
}
