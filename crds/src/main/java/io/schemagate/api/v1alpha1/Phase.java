package io.schemagate.api.v1alpha1;

/** Where a SchemaMigration stands, in one word; the conditions say why. */
public enum Phase {
  /** Accepted; a run is about to start or waits for its retry time. */
  Pending,
  /** A migration Job is running. */
  Running,
  /** The database is at the target revision. */
  Succeeded,
  /** The last run failed and will not be retried by itself (Stalled). */
  Failed,
  /** spec.suspend is true. */
  Suspended
}
