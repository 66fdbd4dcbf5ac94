package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The runner commands the operator runs in a migration Job, as status records them. */
public enum RunCommand {
  /** Apply pending migrations up to the target revision. */
  @JsonProperty("migrate")
  MIGRATE("migrate"),
  /** Read the database's state without changing it (e.g. after the status was lost). */
  @JsonProperty("info")
  INFO("info"),
  /** Adopt an existing database at {@code spec.baselineRevision}. */
  @JsonProperty("baseline")
  BASELINE("baseline");

  private final String argument;

  RunCommand(String argument) {
    this.argument = argument;
  }

  /** The command as the runner's first argument and in status. */
  public String argument() {
    return argument;
  }

  @Override
  public String toString() {
    return argument;
  }
}
