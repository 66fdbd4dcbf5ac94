package io.schemagate.bench;

/** One fresh database on the bench's server, made for one measured run. */
record BenchDatabase(PostgresServer server, String name) {

  String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  /** SQLAlchemy's form of the same address, for Alembic. */
  String sqlAlchemyUrl() {
    return "postgresql+psycopg2://"
        + server.user()
        + ":"
        + server.password()
        + "@127.0.0.1:"
        + server.port()
        + "/"
        + name;
  }
}
