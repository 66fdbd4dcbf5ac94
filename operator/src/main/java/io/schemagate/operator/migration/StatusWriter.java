package io.schemagate.operator.migration;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a SchemaMigration's status, only when it changed: a full update of the status subresource
 * with optimistic locking, cached for the next reconciliation (read-your-writes), so a decision is
 * never made on a status older than the one this operator wrote. When the resource changed
 * underneath, the write is retried on the fresh copy only if its status is still the one the
 * decision was based on; otherwise it fails with {@link StaleStatusException} and the
 * reconciliation runs again on the new state.
 */
final class StatusWriter {
  private StatusWriter() {}

  /**
   * Writes the status if it changed; returns the resource as the API server stored it (its status
   * is what was written), or empty when there was nothing to write.
   */
  static Optional<SchemaMigration> write(
      Context<SchemaMigration> context, SchemaMigration sm, StatusAggregator status) {
    if (!status.changed()) {
      return Optional.empty();
    }
    SchemaMigrationStatus read = status.read();
    SchemaMigrationStatus next = status.build();
    SchemaMigration written =
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
            sm,
            context,
            fresh -> {
              if (!Objects.equals(fresh.getStatus(), read)) {
                throw new StaleStatusException(SchemaMigrationReconciler.ref(sm));
              }
              fresh.setStatus(next);
              return fresh;
            });
    return Optional.ofNullable(written);
  }

  /** The status changed since this reconciliation read it; it runs again on the new one. */
  static final class StaleStatusException extends RuntimeException {
    StaleStatusException(String resource) {
      super(resource + ": status changed while reconciling; reconciling again");
    }
  }
}
