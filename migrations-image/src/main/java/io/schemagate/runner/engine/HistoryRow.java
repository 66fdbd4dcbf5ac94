package io.schemagate.runner.engine;

import java.time.Instant;
import org.flywaydb.core.api.MigrationVersion;

/** One row of Flyway's history table, as Flyway writes it. */
public record HistoryRow(
    int installedRank,
    String version,
    String description,
    String type,
    String script,
    Integer checksum,
    String installedBy,
    Instant installedOn,
    int executionTimeMs,
    boolean success) {

  /** Row types Flyway writes that do not describe a migration file. */
  public static final String SCHEMA = "SCHEMA";

  public static final String BASELINE = "BASELINE";
  public static final String DELETE = "DELETE";
  public static final String UNDO_SQL = "UNDO_SQL";
  public static final String SQL = "SQL";

  public MigrationVersion parsedVersion() {
    return version == null ? null : MigrationVersion.fromVersion(version);
  }

  public boolean isVersioned() {
    return version != null && !type.equals(SCHEMA);
  }
}
