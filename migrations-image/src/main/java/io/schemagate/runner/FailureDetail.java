package io.schemagate.runner;

/**
 * Where a failure happened: the migration version and file, the 1-based line of the failing
 * statement in that file, the SQLSTATE, and whether a non-transactional migration may have left
 * objects behind. Every field may be null (partial defaults to false).
 */
public record FailureDetail(
    String version, String file, Integer line, String sqlState, boolean partial) {
  public static final FailureDetail NONE = new FailureDetail(null, null, null, null, false);
}
