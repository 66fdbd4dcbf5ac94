package io.schemagate.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The floor: one psql session running every file, each in its own transaction, no bookkeeping. */
final class PsqlTool implements MigrationTool {

  private final Path psql;
  private final Path script;

  PsqlTool(Path psql, Path script) {
    this.psql = psql;
    this.script = script;
  }

  @Override
  public String label() {
    return "psql, one session, one transaction per file (floor)";
  }

  @Override
  public Invocation migrate(BenchDatabase database) {
    PostgresServer server = database.server();
    return new Invocation(
        List.of(
            psql.toString(),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(server.port()),
            "-U",
            server.user(),
            "-d",
            database.name(),
            "-f",
            script.toString()),
        Map.of("PGPASSWORD", server.password()),
        script.getParent());
  }

  @Override
  public boolean hasNoop() {
    // psql keeps no history: running the files again would fail, not skip them
    return false;
  }

  @Override
  public void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count) {
    MigrationTool.checkGeneratedTables(admin, database, count);
  }
}
