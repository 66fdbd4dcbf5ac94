package io.schemagate.api.v1alpha1;

/** How a run stands, as status records it in {@code lastRun.result} and {@code history}. */
public enum RunResult {
  /** Its Job was created and has not ended. */
  Running,
  /** The runner reported success. */
  Succeeded,
  /** The run failed; its reason says why. */
  Failed
}
