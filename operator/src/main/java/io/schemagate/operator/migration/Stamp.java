package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.SchemaMigration;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * What every status change of one reconciliation carries: the generation it observed (stamped on
 * status and conditions) and the time it was made.
 */
record Stamp(long generation, Instant now) {
  static Stamp of(SchemaMigration sm, Clock clock) {
    return new Stamp(
        Objects.requireNonNullElse(sm.getMetadata().getGeneration(), 1L), clock.instant());
  }
}
