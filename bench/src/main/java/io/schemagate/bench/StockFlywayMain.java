package io.schemagate.bench;

import org.flywaydb.core.Flyway;

/** Stock Flyway as a team would call it from a bare main: configure, load, migrate. */
public final class StockFlywayMain {

  /** The password comes from the environment so it never shows in a process list. */
  static final String PASSWORD_ENV = "BENCH_FLYWAY_PASSWORD";

  private StockFlywayMain() {}

  /** Arguments: JDBC URL, user, migrations folder. */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println(
          "usage: StockFlywayMain JDBC_URL USER DIR (password in $" + PASSWORD_ENV + ")");
      System.exit(2);
    }
    Flyway.configure()
        .dataSource(args[0], args[1], System.getenv(PASSWORD_ENV))
        .locations("filesystem:" + args[2])
        .load()
        .migrate();
  }
}
