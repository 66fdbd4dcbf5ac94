package io.schemagate.operator.job;

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
}
