package io.schemagate.bench;

/** A migration tool the bench times as a whole process against one fresh database. */
interface MigrationTool {

  /** The row label in the report, e.g. "Alembic 1.8.1". */
  String label();

  /** Applies every pending migration (and, run again, is the no-op). */
  Invocation migrate(BenchDatabase database);

  /** Whether running {@link #migrate} again on a migrated database is a meaningful no-op. */
  default boolean hasNoop() {
    return true;
  }

  /**
   * Throws if the database does not hold {@code count} applied migrations as this tool records
   * them.
   */
  void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count);

  /** The user tables every tool must have made, whatever its bookkeeping. */
  static void checkGeneratedTables(DatabaseAdmin admin, BenchDatabase database, int count) {
    String last = new GeneratedMigration(count).tableName();
    long rows = admin.count(database, "SELECT count(*) FROM " + last);
    if (rows != GeneratedMigration.ROWS) {
      throw new IllegalStateException(
          last + " has " + rows + " rows, expected " + GeneratedMigration.ROWS);
    }
    String next = new GeneratedMigration(count + 1).tableName();
    if (admin.tableExists(database, next)) {
      throw new IllegalStateException(next + " exists: more than " + count + " migrations ran");
    }
  }

  /** Flyway's (and the runner's) history: one successful row per versioned migration. */
  static void checkFlywayHistory(DatabaseAdmin admin, BenchDatabase database, int count) {
    long applied =
        admin.count(
            database,
            "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL");
    if (applied != count) {
      throw new IllegalStateException(
          "flyway_schema_history has " + applied + " successful versioned rows, expected " + count);
    }
  }
}
