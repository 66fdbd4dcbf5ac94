package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import java.util.Objects;

/**
 * The one place a SchemaMigration's next status is composed, as Keycloak's status aggregator does:
 * each part of the operator contributes its part of the status, and {@link StatusWriter} writes the
 * whole once, and only when it differs from the status that was read. The SchemaMigration
 * reconciler is the only writer of this status; the parts are the run's (phase, revisions, runs,
 * retry time, Ready/Reconciling/Stalled) and, with the Deployment gate, the gate's ({@code
 * gatedDeployments}, {@code DeploymentsGated}).
 */
final class StatusAggregator {
  private final SchemaMigrationStatus read;
  private final SchemaMigrationStatus run;

  /** Starts from {@code read}, the status the reconciliation saw (null for a new resource). */
  StatusAggregator(SchemaMigrationStatus read) {
    this.read = read;
    this.run = StatusUpdates.copy(read);
  }

  /** The status as read, which a write checks is still the stored one. */
  SchemaMigrationStatus read() {
    return read;
  }

  /**
   * The run's part, for the steps of a reconciliation to change (a copy: the cache stays as is).
   */
  SchemaMigrationStatus run() {
    return run;
  }

  /** The status to write. */
  SchemaMigrationStatus build() {
    return run;
  }

  /** Whether there is anything to write. */
  boolean changed() {
    return !Objects.equals(read, build());
  }
}
