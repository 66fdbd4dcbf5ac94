package io.schemagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An Alembic project with one revision per generated migration, chained by {@code down_revision}.
 */
final class AlembicProject {

  /** Environment variable env.py reads the SQLAlchemy URL from, so no password is in a file. */
  static final String URL_ENV = "BENCH_ALEMBIC_URL";

  // alembic.ini as `alembic init` writes it, less the comments: users run with this logging.
  private static final String INI =
      """
      [alembic]
      script_location = alembic

      [loggers]
      keys = root,sqlalchemy,alembic

      [handlers]
      keys = console

      [formatters]
      keys = generic

      [logger_root]
      level = WARN
      handlers = console
      qualname =

      [logger_sqlalchemy]
      level = WARN
      handlers =
      qualname = sqlalchemy.engine

      [logger_alembic]
      level = INFO
      handlers =
      qualname = alembic

      [handler_console]
      class = StreamHandler
      args = (sys.stderr,)
      level = NOTSET
      formatter = generic

      [formatter_generic]
      format = %(levelname)-5.5s [%(name)s] %(message)s
      datefmt = %H:%M:%S
      """;

  private static final String ENV_PY =
      """
      import os
      from logging.config import fileConfig

      from alembic import context
      from sqlalchemy import create_engine, pool

      config = context.config
      if config.config_file_name is not None:
          fileConfig(config.config_file_name)


      def run_migrations_online():
          engine = create_engine(os.environ["%s"], poolclass=pool.NullPool)
          with engine.connect() as connection:
              # one transaction per revision, like Flyway and the psql floor
              context.configure(
                  connection=connection, target_metadata=None, transaction_per_migration=True
              )
              with context.begin_transaction():
                  context.run_migrations()


      run_migrations_online()
      """
          .formatted(URL_ENV);

  private final Path dir;

  private AlembicProject(Path dir) {
    this.dir = dir;
  }

  static AlembicProject write(Path dir, int count) {
    try {
      Path versions = dir.resolve("alembic").resolve("versions");
      Files.createDirectories(versions);
      Files.writeString(dir.resolve("alembic.ini"), INI);
      Files.writeString(dir.resolve("alembic").resolve("env.py"), ENV_PY);
      for (int version = 1; version <= count; version++) {
        GeneratedMigration migration = new GeneratedMigration(version);
        Files.writeString(
            versions.resolve("r" + version + "_" + migration.description() + ".py"),
            revisionFile(migration));
      }
      return new AlembicProject(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String revisionId(int version) {
    return "r" + version;
  }

  private static String revisionFile(GeneratedMigration migration) {
    int version = migration.version();
    String downRevision = version == 1 ? "None" : "\"" + revisionId(version - 1) + "\"";
    return """
        \"\"\"%s\"\"\"
        from alembic import op

        revision = "%s"
        down_revision = %s
        branch_labels = None
        depends_on = None

        UP = \"\"\"
        %s\"\"\"


        def upgrade():
            op.execute(UP)


        def downgrade():
            op.execute(%s)
        """
        .formatted(
            migration.description(),
            revisionId(version),
            downRevision,
            migration.upSql(),
            "\"" + migration.undoSql().strip() + "\"");
  }

  /** The folder to run {@code alembic} in (it holds alembic.ini). */
  Path dir() {
    return dir;
  }
}
