package io.schemagate.operator.migration.job;

import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt the reconciler asks for: the runner command, the attempt number within the current
 * generation (from 1), and the value of the {@code schemagate.io/retry} annotation (null if unset).
 */
public record RunRequest(RunCommand command, int attempt, String retryValue) {
  public RunRequest {
    Objects.requireNonNull(command, "command");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be 1 or more, got " + attempt);
    }
  }

  /** The request for {@code attempt} of {@code command}, with the resource's retry annotation. */
  public static RunRequest of(SchemaMigration migration, RunCommand command, int attempt) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    String retry = annotations == null ? null : annotations.get(SchemaGateApi.RETRY_ANNOTATION);
    return new RunRequest(command, attempt, retry);
  }
}
