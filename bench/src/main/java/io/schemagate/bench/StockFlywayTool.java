package io.schemagate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link StockFlywayMain} in its own JVM, with only Flyway and the driver on the class path. */
final class StockFlywayTool implements MigrationTool {

  private final Jdk jdk;
  private final List<String> jvmArgs;
  private final String classPath;
  private final String flywayVersion;
  private final Path location;

  StockFlywayTool(
      Jdk jdk, List<String> jvmArgs, String classPath, String flywayVersion, Path location) {
    this.jdk = jdk;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.classPath = classPath;
    this.flywayVersion = flywayVersion;
    this.location = location;
  }

  /** The same JVM and class path on another migrations folder. */
  StockFlywayTool withLocation(Path otherLocation) {
    return new StockFlywayTool(jdk, jvmArgs, classPath, flywayVersion, otherLocation);
  }

  @Override
  public String label() {
    String flags = jvmArgs.isEmpty() ? "" : " `" + String.join(" ", jvmArgs) + "`";
    return "stock Flyway " + flywayVersion + " API in a main, " + jdk.label() + flags;
  }

  @Override
  public Invocation migrate(BenchDatabase database) {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp",
            classPath,
            StockFlywayMain.class.getName(),
            database.jdbcUrl(),
            database.server().user(),
            location.toString()));
    return new Invocation(
        command, Map.of(StockFlywayMain.PASSWORD_ENV, database.server().password()), location);
  }

  @Override
  public void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count) {
    MigrationTool.checkGeneratedTables(admin, database, count);
    MigrationTool.checkFlywayHistory(admin, database, count);
  }
}
