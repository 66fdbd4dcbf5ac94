package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunCommand;
import java.time.Instant;

/** What a SchemaMigration needs next when no run of it is in progress. */
public sealed interface RunPlan {

  /** Start a Job running {@code command} as attempt {@code attempt} of the current series. */
  record Start(RunCommand command, int attempt) implements RunPlan {}

  /** A transient failure waits for its retry time. */
  record WaitUntil(Instant when) implements RunPlan {}

  /** The database is at the target of the current generation; nothing to run. */
  record AtTarget() implements RunPlan {}

  /** Nothing runs until the spec or the retry annotation changes. */
  record Stalled(Reason reason, String message) implements RunPlan {}
}
