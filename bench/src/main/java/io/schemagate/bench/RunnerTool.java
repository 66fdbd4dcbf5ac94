package io.schemagate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code java -jar schemagate-runner.jar migrate}, with configurable JVM flags. */
final class RunnerTool implements MigrationTool {

  private final Jdk jdk;
  private final Path jar;
  private final List<String> jvmArgs;
  private final Path location;

  RunnerTool(Jdk jdk, Path jar, List<String> jvmArgs, Path location) {
    this.jdk = jdk;
    this.jar = jar;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.location = location;
  }

  /** The same runner and flags on another migrations folder. */
  RunnerTool withLocation(Path otherLocation) {
    return new RunnerTool(jdk, jar, jvmArgs, otherLocation);
  }

  @Override
  public String label() {
    String flags = jvmArgs.isEmpty() ? "" : " `" + String.join(" ", jvmArgs) + "`";
    return "schemagate runner, " + jdk.label() + flags;
  }

  @Override
  public Invocation migrate(BenchDatabase database) {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "migrate",
            "--url",
            database.jdbcUrl(),
            "--user",
            database.server().user(),
            "--location",
            location.toString()));
    return new Invocation(
        command, Map.of("SCHEMAGATE_PASSWORD", database.server().password()), location);
  }

  @Override
  public void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count) {
    MigrationTool.checkGeneratedTables(admin, database, count);
    MigrationTool.checkFlywayHistory(admin, database, count);
  }
}
