package io.schemagate.sandbox.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Sends every database host of a manifest's JDBC URL to the sandbox's one PostgreSQL server and
 * creates the named database on first use, so example manifests stay valid for a real cluster. The
 * role a Secret names is created too, with the Secret's password: a wrong password in a Secret then
 * fails the way it would on a real server.
 */
public final class DatabaseRouter {
  private static final String PREFIX = "jdbc:postgresql://";

  private final DataSource admin;
  private final String host;
  private final int port;
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  public DatabaseRouter(DataSource admin, String host, int port) {
    this.admin = admin;
    this.host = host;
    this.port = port;
  }

  /** While down, routed URLs point at a closed port: the runner sees an unreachable database. */
  public void setDown(boolean down) {
    this.down = down;
  }

  /**
   * The local URL for a manifest's URL, creating its database (and the role with its password, when
   * the database is new) on first use.
   */
  public String route(String url, String user, String password) throws SQLException {
    if (url == null || !url.startsWith(PREFIX)) {
      return url;
    }
    String rest = url.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String pathAndQuery = slash < 0 ? "/postgres" : rest.substring(slash);
    int q = pathAndQuery.indexOf('?');
    String database = (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)).substring(1);
    if (database.isEmpty()) {
      database = "postgres";
    }
    ensure(database, user, password);
    return PREFIX + host + ":" + (down ? 1 : port) + pathAndQuery;
  }

  private void ensure(String database, String user, String password) throws SQLException {
    String key = database + "\u0000" + user;
    if (created.contains(key)) {
      return;
    }
    synchronized (this) {
      if (created.contains(key)) {
        return;
      }
      try (Connection c = admin.getConnection()) {
        if (user != null && !user.isEmpty() && !exists(c, "pg_roles", "rolname", user)) {
          try (Statement st = c.createStatement()) {
            // The sandbox's own server: the role gets what a migration role usually has.
            st.execute(
                "CREATE ROLE "
                    + quote(user)
                    + " LOGIN CREATEDB PASSWORD "
                    + literal(password == null ? "" : password));
          }
        }
        if (!exists(c, "pg_database", "datname", database)) {
          try (Statement st = c.createStatement()) {
            st.execute(
                "CREATE DATABASE "
                    + quote(database)
                    + (user == null || user.isEmpty() ? "" : " OWNER " + quote(user)));
          }
        }
      }
      created.add(key);
    }
  }

  private static boolean exists(Connection c, String table, String column, String value)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_catalog." + table + " WHERE " + column + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A plain JDBC URL connection for tests and the CLI. */
  public static Connection connect(String url, String user, String password) throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }
}
