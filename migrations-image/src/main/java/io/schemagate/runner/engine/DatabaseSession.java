package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One connection to the database being migrated, with the schemas the runner manages and the
 * history table in the first of them. Every command runs on this single connection: the advisory
 * lock is a session lock, and non-transactional statements must run on the lock's session too.
 */
public final class DatabaseSession implements AutoCloseable {
  private static final String CLIENT_CHECK_INTERVAL = "2s";

  private final Connection connection;
  private final List<String> schemas;
  private final SchemaHistory history;
  private final RunnerSettings settings;
  private final Progress progress;
  private final String user;
  private final String database;
  private final StatementCanceller canceller;
  private final DatabaseConnector connector;

  /** The rows of the last successful read of the history table; null before the first. */
  private List<HistoryRow> lastRead;

  /**
   * The highest installed rank when this session first took the lock, null before: everything the
   * runner writes it writes under the lock, so rows above this rank are this session's own.
   */
  private Integer rankAtFirstLock;

  private DatabaseSession(
      DatabaseConnector connector,
      Connection connection,
      List<String> schemas,
      RunnerSettings settings,
      Progress progress,
      StatementCanceller canceller,
      String user,
      String database) {
    this.connector = connector;
    this.canceller = canceller;
    this.connection = connection;
    this.schemas = schemas;
    this.settings = settings;
    this.progress = progress;
    this.user = user;
    this.database = database;
    this.history = new SchemaHistory(connection, schemas.get(0), settings.historyTable());
  }

  public static DatabaseSession open(
      DatabaseConnector connector,
      RunnerSettings settings,
      Progress progress,
      StatementCanceller canceller) {
    return prepare(connector, connector.connect(), settings, progress, canceller);
  }

  /**
   * Makes a session of a connection opened already (and closes it if that fails): the managed
   * schemas, the history table in the first, and the search path as Flyway sets it.
   */
  public static DatabaseSession prepare(
      DatabaseConnector connector,
      Connection c,
      RunnerSettings settings,
      Progress progress,
      StatementCanceller canceller) {
    try {
      String currentSchema;
      String searchPath;
      String user;
      String database;
      int serverVersion;
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT current_schema(), current_setting('search_path'), current_user,"
                      + " current_database(), current_setting('server_version_num')::int")) {
        rs.next();
        currentSchema = rs.getString(1);
        searchPath = rs.getString(2);
        user = rs.getString(3);
        database = rs.getString(4);
        serverVersion = rs.getInt(5);
      }
      if (serverVersion >= 140000) {
        // If this process is killed (a Job deadline), the server notices the closed socket
        // within seconds and rolls back, instead of holding locks until a long statement ends.
        try (Statement st = c.createStatement()) {
          st.execute("SET client_connection_check_interval = '" + CLIENT_CHECK_INTERVAL + "'");
        }
      }
      List<String> schemas = settings.schemas();
      if (schemas.isEmpty()) {
        if (currentSchema == null) {
          throw new RunnerException(
              Reason.ConfigurationInvalid,
              "the connection has no current schema (empty search_path): pass --schemas");
        }
        schemas = List.of(currentSchema);
      } else if (!schemas.get(0).equals(currentSchema)) {
        // As Flyway does: the first managed schema leads the search path, the rest is kept.
        String path = SchemaHistory.quote(schemas.get(0));
        if (searchPath != null && !searchPath.isBlank()) {
          path = path + ", " + searchPath;
        }
        try (PreparedStatement ps =
            c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
          ps.setString(1, path);
          ps.executeQuery().close();
        }
      }
      return new DatabaseSession(
          connector, c, List.copyOf(schemas), settings, progress, canceller, user, database);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new RunnerException(
          Reason.DatabaseUnreachable, "cannot prepare the session: " + SqlFailure.describe(e), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Already failing; the original error is the one worth reporting.
    }
  }

  public Connection connection() {
    return connection;
  }

  public SchemaHistory history() {
    return history;
  }

  public List<String> schemas() {
    return schemas;
  }

  /** Where a termination request reaches this session's statements and waits. */
  public StatementCanceller canceller() {
    return canceller;
  }

  public Progress progress() {
    return progress;
  }

  public RunnerSettings settings() {
    return settings;
  }

  /** Where this session's connection came from; a read after a broken run opens another. */
  public DatabaseConnector connector() {
    return connector;
  }

  /** The history rows, or none when the table does not exist yet. */
  public List<HistoryRow> rows() throws SQLException {
    List<HistoryRow> rows = history.exists() ? history.rows() : List.of();
    lastRead = rows;
    return rows;
  }

  /** What the last successful {@link #rows()} returned, or null if none succeeded. */
  public List<HistoryRow> lastRead() {
    return lastRead;
  }

  /**
   * The highest installed rank when this session first took the lock ({@code -1} for a history
   * table that did not exist yet), or null when it never took it and so wrote nothing.
   */
  public Integer rankAtFirstLock() {
    return rankAtFirstLock;
  }

  public SchemaState state(MigrationBundle bundle) throws SQLException {
    return SchemaState.of(bundle, rows(), settings.outOfOrder());
  }

  /**
   * Creates the managed schemas that do not exist and the history table, as Flyway does on its
   * first migrate (with its schema-creation marker row when it created a schema). Call under the
   * lock.
   *
   * @return whether the table was created
   */
  public boolean ensureHistory() throws SQLException {
    if (history.exists()) {
      return false;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      List<String> created = new ArrayList<>();
      for (String schema : schemas) {
        if (!schemaExists(schema)) {
          try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA " + SchemaHistory.quote(schema));
          }
          created.add(schema);
        }
      }
      history.create();
      if (!created.isEmpty()) {
        history.appendSchemaMarker(created);
        progress.line("Created schema " + String.join(", ", created));
      }
      connection.commit();
      progress.line("Created history table " + history.qualifiedName());
      return true;
    } catch (SQLException | RuntimeException | Error e) {
      ScriptExecutor.rollbackQuietly(connection);
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private boolean schemaExists(String schema) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Takes the history table's advisory lock, waiting up to the configured lock wait. */
  public AdvisoryLock lock() throws SQLException {
    AdvisoryLock lock =
        AdvisoryLock.acquire(connection, history, settings.lockWait(), progress, canceller);
    if (rankAtFirstLock == null) {
      try {
        rankAtFirstLock = history.exists() ? history.maxRank() : -1;
      } catch (SQLException | RuntimeException e) {
        lock.close();
        throw e;
      }
    }
    return lock;
  }

  /** Flyway's built-in placeholders for one script. */
  public Map<String, String> builtInPlaceholders(String script) {
    return Map.of(
        "flyway:defaultSchema", schemas.get(0),
        "flyway:user", user == null ? "" : user,
        "flyway:database", database == null ? "" : database,
        "flyway:table", history.table(),
        "flyway:filename", script.substring(script.lastIndexOf('/') + 1));
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }
}
