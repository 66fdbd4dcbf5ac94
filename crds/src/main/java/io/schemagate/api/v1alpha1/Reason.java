package io.schemagate.api.v1alpha1;

/**
 * The closed set of condition and run reasons: the runner's, plus those the operator derives from
 * the Job, the pod and the spec. Transient reasons are retried with backoff up to {@code
 * spec.retry.limit}; every other failure stalls at once.
 */
public enum Reason {
  // From the runner's result.
  MigrationFailed(false),
  ValidationFailed(false),
  DatabaseUnreachable(true),
  // A refused login does not heal by waiting: the Secret or the role must change first.
  AuthenticationFailed(false),
  LockTimeout(true),
  UndoUnavailable(false),
  DowngradeRefused(false),
  LintFailed(false),
  VerifyMismatch(false),
  // The runner's wait command timed out. It runs as an app's init container, never in an operator
  // Job; listed so every runner reason is an API reason.
  WaitTimedOut(false),
  ConfigurationInvalid(false),
  InternalError(false),
  // Progress.
  AtHead(false),
  JobCreated(false),
  Migrating(false),
  // Derived from the Job, its pod and the spec.
  SecretNotFound(true),
  ImagePullFailed(true),
  DeadlineExceeded(false),
  RunnerCrashed(true),
  ResultMissing(true),
  RetriesExhausted(false),
  InvalidSpec(false),
  Conflict(false),
  Suspended(false),
  // The DeploymentsGated condition: whether the resource holds Deployments paused.
  DeploymentsHeld(false),
  NoDeploymentsHeld(false),
  // A reconciliation failed: the operator's own request to the Kubernetes API was refused or went
  // unanswered (RBAC, a quota, an admission webhook, the API server down). Retried by the operator
  // with backoff, without limit: such a refusal heals when the cluster changes, not the spec.
  KubernetesApiError(true);

  private final boolean transientFailure;

  Reason(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  /** Whether a run that failed for this reason may heal by itself and is retried. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The reason of a name from a result or a condition, or null when it is not one of ours. */
  public static Reason parse(String name) {
    if (name == null) {
      return null;
    }
    for (Reason r : values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }
}
