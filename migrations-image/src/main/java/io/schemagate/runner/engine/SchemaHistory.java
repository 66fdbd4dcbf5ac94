package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Flyway's history table ({@code flyway_schema_history} by default) in one schema: created with
 * Flyway's exact DDL and written row for row as Flyway writes it, so stock Flyway accepts every
 * database the runner touched.
 */
public final class SchemaHistory {
  private final Connection connection;
  private final String schema;
  private final String table;
  private final String qualified;

  /** Flyway's columns: a table of the history's name without them is someone else's. */
  private static final List<String> COLUMNS =
      List.of(
          "installed_rank",
          "version",
          "description",
          "type",
          "script",
          "checksum",
          "installed_by",
          "installed_on",
          "execution_time",
          "success");

  /** The columns an appended row sets, in the order {@link #bind} fills them after the rank. */
  private static final String INSERT_COLUMNS =
      " (installed_rank, version, description, type, script, checksum, installed_by,"
          + " execution_time, success)";

  /**
   * The append statement, kept for the session: after a few uses the driver prepares it on the
   * server, and later migrations' rows skip parsing and planning.
   */
  private PreparedStatement append;

  public SchemaHistory(Connection connection, String schema, String table) {
    this.connection = connection;
    this.schema = schema;
    this.table = table;
    this.qualified = quote(schema) + "." + quote(table);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** The table as Flyway names it in SQL and in its advisory lock: {@code "public"."t"}. */
  public String qualifiedName() {
    return qualified;
  }

  /**
   * Whether the table exists, checked to be Flyway's: a table of that name with other columns, or a
   * view, belongs to something else, and reading or writing it would fail with errors that name
   * neither it nor the cause.
   *
   * @throws RunnerException ConfigurationInvalid naming the table and what is wrong with it
   */
  public boolean exists() throws SQLException {
    String kind = null;
    Set<String> columns = new TreeSet<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.relkind, a.attname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
                + " AND NOT a.attisdropped WHERE n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          kind = rs.getString(1);
          if (rs.getString(2) != null) {
            columns.add(rs.getString(2));
          }
        }
      }
    }
    if (kind == null) {
      return false;
    }
    List<String> missing = COLUMNS.stream().filter(c -> !columns.contains(c)).toList();
    if (!kind.equals("r") && !kind.equals("p")) {
      throw foreign("is not a table");
    }
    if (!missing.isEmpty()) {
      throw foreign(
          "lacks Flyway's columns "
              + String.join(", ", missing)
              + " (it has "
              + String.join(", ", columns)
              + ")");
    }
    return true;
  }

  private RunnerException foreign(String what) {
    return new RunnerException(
        Reason.ConfigurationInvalid,
        qualified
            + " is not a Flyway history table: it "
            + what
            + ". Leave it alone and give the runner a table of its own (historyTable in"
            + " schemagate.conf), or manage another schema (--schemas)");
  }

  /** Creates the table with the DDL Flyway's PostgreSQL support uses (same columns, key, index). */
  public void create() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + qualified
              + " (\n"
              + "    \"installed_rank\" INT NOT NULL,\n"
              + "    \"version\" VARCHAR(50),\n"
              + "    \"description\" VARCHAR(200) NOT NULL,\n"
              + "    \"type\" VARCHAR(20) NOT NULL,\n"
              + "    \"script\" VARCHAR(1000) NOT NULL,\n"
              + "    \"checksum\" INTEGER,\n"
              + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
              + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
              + "    \"execution_time\" INTEGER NOT NULL,\n"
              + "    \"success\" BOOLEAN NOT NULL\n"
              + ")");
      st.execute(
          "ALTER TABLE "
              + qualified
              + " ADD CONSTRAINT "
              + quote(table + "_pk")
              + " PRIMARY KEY (\"installed_rank\")");
      st.execute("CREATE INDEX " + quote(table + "_s_idx") + " ON " + qualified + " (\"success\")");
    }
  }

  /** The same table read over another connection (a fresh one, after a run broke its own). */
  public SchemaHistory on(Connection other) {
    return new SchemaHistory(other, schema, table);
  }

  /** The highest installed rank, or -1 for an empty table. */
  public int maxRank() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT COALESCE(MAX(installed_rank), -1) FROM " + qualified)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Every row, in installed order. */
  public List<HistoryRow> rows() throws SQLException {
    List<HistoryRow> rows = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT installed_rank, version, description, type, script, checksum,"
                    + " installed_by, installed_on, execution_time, success FROM "
                    + qualified
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        int checksum = rs.getInt(6);
        boolean checksumNull = rs.wasNull();
        Timestamp on = rs.getTimestamp(8);
        rows.add(
            new HistoryRow(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                checksumNull ? null : checksum,
                rs.getString(7),
                on == null ? null : on.toInstant(),
                rs.getInt(9),
                rs.getBoolean(10)));
      }
    }
    return rows;
  }

  /**
   * Appends a row at the next installed rank, in the connection's current transaction (so a
   * migration and its row commit together). {@code installed_by} is the session user, as Flyway
   * records it when none is configured.
   */
  public void append(
      String version,
      String description,
      String type,
      String script,
      Integer checksum,
      int executionTimeMs,
      boolean success)
      throws SQLException {
    if (append == null) {
      append =
          connection.prepareStatement(
              "INSERT INTO "
                  + qualified
                  + INSERT_COLUMNS
                  + " SELECT COALESCE(MAX(installed_rank), 0) + 1, ?, ?, ?, ?, ?, current_user, ?, ?"
                  + " FROM "
                  + qualified);
    }
    try {
      bind(append, version, description, type, script, checksum, executionTimeMs, success);
      append.executeUpdate();
    } catch (SQLException e) {
      // The connection may be broken; a later append prepares afresh.
      PreparedStatement broken = append;
      append = null;
      try {
        broken.close();
      } catch (SQLException closeError) {
        e.addSuppressed(closeError);
      }
      throw e;
    }
  }

  /** Writes the rank-0 marker Flyway leaves when it created the schemas it manages. */
  public void appendSchemaMarker(List<String> createdSchemas) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO "
                + qualified
                + INSERT_COLUMNS
                + " VALUES (0, ?, ?, ?, ?, ?, current_user, ?, ?)")) {
      String script = String.join(",", createdSchemas.stream().map(SchemaHistory::quote).toList());
      bind(ps, null, "<< Flyway Schema Creation >>", HistoryRow.SCHEMA, script, null, 0, true);
      ps.executeUpdate();
    }
  }

  private static void bind(
      PreparedStatement ps,
      String version,
      String description,
      String type,
      String script,
      Integer checksum,
      int executionTimeMs,
      boolean success)
      throws SQLException {
    ps.setString(1, version);
    ps.setString(2, description);
    ps.setString(3, type);
    ps.setString(4, script);
    if (checksum == null) {
      ps.setNull(5, Types.INTEGER);
    } else {
      ps.setInt(5, checksum);
    }
    ps.setInt(6, executionTimeMs);
    ps.setBoolean(7, success);
  }

  public void delete(int installedRank) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("DELETE FROM " + qualified + " WHERE installed_rank = ?")) {
      ps.setInt(1, installedRank);
      ps.executeUpdate();
    }
  }
}
