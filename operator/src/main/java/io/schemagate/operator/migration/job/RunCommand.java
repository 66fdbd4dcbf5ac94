package io.schemagate.operator.migration.job;

/** The runner commands the operator runs in a migration Job. */
public enum RunCommand {
  /** Apply pending migrations up to the target revision. */
  MIGRATE("migrate"),
  /** Read the database's state without changing it (e.g. after the status was lost). */
  INFO("info"),
  /** Adopt an existing database at {@code spec.baselineRevision}. */
  BASELINE("baseline");

  private final String argument;

  RunCommand(String argument) {
    this.argument = argument;
  }

  /** The command as the runner's first argument. */
  public String argument() {
    return argument;
  }
}
