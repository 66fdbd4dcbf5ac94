package io.schemagate.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link StockFlywayMain} in its own JVM, with only Flyway and the driver on the class path. */
final class StockFlywayTool implements MigrationTool {

  private final Jdk jdk;
  private final String classPath;
  private final String flywayVersion;
  private final Path location;

  StockFlywayTool(Jdk jdk, String classPath, String flywayVersion, Path location) {
    this.jdk = jdk;
    this.classPath = classPath;
    this.flywayVersion = flywayVersion;
    this.location = location;
  }

  /** The same JVM and class path on another migrations folder. */
  StockFlywayTool withLocation(Path otherLocation) {
    return new StockFlywayTool(jdk, classPath, flywayVersion, otherLocation);
  }

  @Override
  public String label() {
    return "stock Flyway " + flywayVersion + " API in a main, " + jdk.label();
  }

  @Override
  public Invocation migrate(BenchDatabase database) {
    return new Invocation(
        List.of(
            jdk.java().toString(),
            "-cp",
            classPath,
            StockFlywayMain.class.getName(),
            database.jdbcUrl(),
            database.server().user(),
            location.toString()),
        Map.of(StockFlywayMain.PASSWORD_ENV, database.server().password()),
        location);
  }

  @Override
  public void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count) {
    MigrationTool.checkGeneratedTables(admin, database, count);
    MigrationTool.checkFlywayHistory(admin, database, count);
  }
}
