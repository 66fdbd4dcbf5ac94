package io.schemagate.operator.migration.job;

import io.schemagate.api.v1alpha1.Reason;

/**
 * Where one attempt stands, read from its Job and pods.
 *
 * <p>{@code reason} is set when the attempt failed or is stuck; {@code result} when the runner left
 * a readable result (also on some failures, e.g. a deadline, where it still tells the revisions).
 * {@code settled} means the Job is terminal and none of its pods still runs, so the next attempt
 * may start.
 */
public record RunOutcome(
    State state, Reason reason, String message, RunnerResult result, boolean settled) {

  /** The attempt's state. */
  public enum State {
    /** Not decided yet; wait for the Job. */
    RUNNING,
    /**
     * The Job is active but its pod cannot start (SecretNotFound, ImagePullFailed): end the attempt
     * now instead of at the deadline.
     */
    STUCK,
    /** The runner reported success. */
    SUCCEEDED,
    /** The attempt failed for {@code reason}. */
    FAILED
  }

  static RunOutcome running() {
    return new RunOutcome(State.RUNNING, null, null, null, false);
  }

  static RunOutcome stuck(StartFailure failure) {
    return new RunOutcome(State.STUCK, failure.reason(), failure.message(), null, false);
  }

  public boolean isStuck() {
    return state == State.STUCK;
  }

  /** Whether the attempt has an outcome: it succeeded or failed. */
  public boolean isFinished() {
    return state == State.SUCCEEDED || state == State.FAILED;
  }
}
