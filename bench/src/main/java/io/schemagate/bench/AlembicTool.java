package io.schemagate.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code python3 -m alembic upgrade head} in a generated project. */
final class AlembicTool implements MigrationTool {

  private final Path python;
  private final String version;
  private final AlembicProject project;

  AlembicTool(Path python, String version, AlembicProject project) {
    this.python = python;
    this.version = version;
    this.project = project;
  }

  /** The same python on another generated project. */
  AlembicTool withProject(AlembicProject otherProject) {
    return new AlembicTool(python, version, otherProject);
  }

  @Override
  public String label() {
    return "Alembic " + version;
  }

  @Override
  public Invocation migrate(BenchDatabase database) {
    return new Invocation(
        List.of(python.toString(), "-m", "alembic", "upgrade", "head"),
        Map.of(AlembicProject.URL_ENV, database.sqlAlchemyUrl()),
        project.dir());
  }

  @Override
  public void checkApplied(DatabaseAdmin admin, BenchDatabase database, int count) {
    MigrationTool.checkGeneratedTables(admin, database, count);
    String head = admin.queryString(database.name(), "SELECT version_num FROM alembic_version");
    if (!AlembicProject.revisionId(count).equals(head)) {
      throw new IllegalStateException(
          "alembic_version is " + head + ", expected " + AlembicProject.revisionId(count));
    }
  }
}
