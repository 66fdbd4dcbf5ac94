package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.SchemaMigration;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Two SchemaMigrations on the same database and schema would race: the older one owns it (by
 * creation time, then namespace/name), every later one is a Conflict and runs nothing.
 */
public final class ConflictCheck {
  private static final Comparator<SchemaMigration> AGE =
      Comparator.comparing(
              (SchemaMigration sm) ->
                  Objects.requireNonNullElse(sm.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(sm -> sm.getMetadata().getNamespace())
          .thenComparing(sm -> sm.getMetadata().getName());

  private ConflictCheck() {}

  /**
   * The SchemaMigration that owns {@code sm}'s target when it is not {@code sm} itself.
   *
   * @param all the SchemaMigrations to consider; those of other targets are ignored, so an index
   *     lookup by {@link DatabaseTarget#key()} and the whole cache give the same answer
   */
  public static Optional<SchemaMigration> ownerOtherThan(
      SchemaMigration sm, Stream<SchemaMigration> all) {
    DatabaseTarget target = DatabaseTarget.of(sm);
    if (target == null) {
      return Optional.empty();
    }
    return all.filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> target.equals(DatabaseTarget.of(o)))
        .min(AGE)
        .filter(owner -> !sameResource(owner, sm));
  }

  private static boolean sameResource(SchemaMigration a, SchemaMigration b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
