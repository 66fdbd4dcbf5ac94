package io.schemagate.runner.engine;

/** Where one migration stands, in Flyway's vocabulary. */
public enum MigrationState {
  /** Applied successfully, file present and unchanged. */
  APPLIED("applied"),
  /** Not applied yet; the next migrate applies it. */
  PENDING("pending"),
  /** A repeatable migration whose file changed since it was applied: migrate re-applies it. */
  OUTDATED("outdated"),
  /** A failed row in the history (a non-transactional migration that failed): repair it. */
  FAILED("failed"),
  /** Applied to the database, newer than anything in this bundle (an older bundle is running). */
  FUTURE("future"),
  /** Applied to the database, but its file is gone from the bundle. */
  MISSING("missing"),
  /** A file below the current revision that was never applied (added out of order). */
  IGNORED("ignored"),
  /** The baseline row: the database was adopted at this revision. */
  BASELINE("baseline"),
  /** A file at or below the baseline: the database already had it when it was adopted. */
  BELOW_BASELINE("below-baseline");

  private final String text;

  MigrationState(String text) {
    this.text = text;
  }

  /** The lower-case word used in output. */
  public String text() {
    return text;
  }
}
