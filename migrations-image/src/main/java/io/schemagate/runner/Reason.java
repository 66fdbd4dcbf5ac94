package io.schemagate.runner;

/** Why a runner command failed; each reason has one process exit code (see DESIGN.md). */
public enum Reason {
  MigrationFailed(1),
  ConfigurationInvalid(2),
  DatabaseUnreachable(3),
  ValidationFailed(4),
  LintFailed(5),
  LockTimeout(6),
  AuthenticationFailed(7),
  UndoUnavailable(8),
  DowngradeRefused(8),
  VerifyMismatch(9),
  /** {@code wait}: the history did not reach the target revision within the timeout. */
  WaitTimedOut(10),
  InternalError(70);

  private final int exitCode;

  Reason(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
