package io.schemagate.bench;

import java.nio.file.Path;
import java.util.Optional;

/** A PostgreSQL server on loopback that the bench owns for the length of one run. */
interface PostgresServer extends AutoCloseable {

  int port();

  /** A superuser that logs in over TCP with {@link #password()}. */
  String user();

  String password();

  /** Where the server came from, for the report (e.g. "Debian PostgreSQL 15, own cluster"). */
  String description();

  /** The psql to use for the floor, if one is installed. */
  Optional<Path> psql();

  default String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  @Override
  void close();
}
