package io.schemagate.runner.testing;

import io.schemagate.runner.engine.AdvisoryLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One database of the test server, with small helpers to look inside it. */
public record TestDatabase(String url, String user, String password) {

  /** The database's name, the last part of its URL. */
  public String name() {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The first column of every row of a query, as text. */
  public List<String> column(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  public String value(String sql) throws SQLException {
    List<String> col = column(sql);
    return col.isEmpty() ? null : col.get(0);
  }

  /** Runs each of {@code statements} (a string may hold several) in one session. */
  public void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /**
   * A session that holds Flyway's lock on the default history table, as another migration of this
   * database would, until it is closed.
   */
  public Connection holdingMigrationLock() throws SQLException {
    Connection c = connect();
    try (Statement st = c.createStatement()) {
      st.execute(
          "SELECT pg_advisory_lock("
              + AdvisoryLock.keyFor("\"public\".\"flyway_schema_history\"")
              + ")");
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public boolean tableExists(String name) throws SQLException {
    return value("SELECT to_regclass('" + name + "')") != null;
  }

  /** Versions in the history table, in installed order (successful rows only). */
  public List<String> appliedVersions() throws SQLException {
    return column(
        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
            + " AND type <> 'SCHEMA' ORDER BY installed_rank");
  }
}
