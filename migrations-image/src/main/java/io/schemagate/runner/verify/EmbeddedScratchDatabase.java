package io.schemagate.runner.verify;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;

/** A scratch database on a PostgreSQL server of its own, started from the bundled binaries. */
final class EmbeddedScratchDatabase implements ScratchDatabase {
  private static final String SUPERUSER = "postgres";

  private final EmbeddedPostgres server;
  private boolean closed;

  private EmbeddedScratchDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  static EmbeddedScratchDatabase start() {
    try {
      // PIPE hands initdb's and the server's output to slf4j, which logs to stderr; INHERIT would
      // let it reach stdout, where only the command's result belongs.
      EmbeddedPostgres server =
          EmbeddedPostgres.builder()
              .setOutputRedirector(Redirect.PIPE)
              .setErrorRedirector(Redirect.PIPE)
              .start();
      return new EmbeddedScratchDatabase(server);
    } catch (IOException | RuntimeException e) {
      throw new RunnerException(
          Reason.InternalError,
          "could not start the embedded PostgreSQL for verify (it needs a writable temporary"
              + " directory, java.io.tmpdir): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
  }

  @Override
  public String user() {
    return SUPERUSER;
  }

  @Override
  public String password() {
    return null;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      throw new RunnerException(
          Reason.InternalError, "could not stop the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
