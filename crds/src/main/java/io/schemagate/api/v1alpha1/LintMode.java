package io.schemagate.api.v1alpha1;

/** How a run lints the pending migrations before applying them. */
public enum LintMode {
  /** Lint errors fail the run (LintFailed) before anything is applied. */
  Enforce,
  /** Lint findings are reported as warnings; the run applies anyway. */
  Warn,
  /** No linting. */
  Off
}
