package io.schemagate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Creates and drops the per-run databases, and reads back what a tool left in them. */
final class DatabaseAdmin {

  private final PostgresServer server;
  private int created;

  DatabaseAdmin(PostgresServer server) {
    this.server = server;
  }

  BenchDatabase create(String purpose) {
    created++;
    String name = ("bench_" + created + "_" + purpose).replaceAll("[^a-z0-9_]", "_");
    // PostgreSQL cuts identifiers at 63 bytes; the counter keeps cut names unique
    name = name.length() > 63 ? name.substring(0, 63) : name;
    execute("postgres", "CREATE DATABASE " + name);
    return new BenchDatabase(server, name);
  }

  void drop(BenchDatabase database) {
    execute("postgres", "DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
  }

  String serverVersion() {
    return queryString("postgres", "SELECT version()");
  }

  long count(BenchDatabase database, String sql) {
    return Long.parseLong(queryString(database.name(), sql));
  }

  String queryString(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      if (!rows.next()) {
        throw new IllegalStateException("no row from: " + sql);
      }
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + database + ": " + e.getMessage(), e);
    }
  }

  boolean tableExists(BenchDatabase database, String table) {
    return "t"
        .equals(
            queryString(
                database.name(),
                "SELECT CASE WHEN to_regclass('public."
                    + table
                    + "') IS NULL THEN 'f' ELSE 't' END"));
  }

  private void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", server.user());
    properties.setProperty("password", server.password());
    return DriverManager.getConnection(server.jdbcUrl(database), properties);
  }
}
