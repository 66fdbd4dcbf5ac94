package io.schemagate.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The operator's one small HTTP server: {@code /healthz} (the process answers) and {@code /readyz}
 * (its informers are healthy) for the kubelet's probes; metrics will be served here too.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;

  private OperatorHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code port} of every address (0: any free port).
   *
   * @param ready whether the operator is ready to serve, asked on every {@code /readyz}
   */
  public static OperatorHttpServer start(int port, BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean ok = ready.getAsBoolean();
          respond(exchange, ok ? 200 : 503, ok ? "ready" : "event sources not healthy");
        });
    // The JDK server's default executor runs handlers on its one dispatcher thread: enough for
    // probes, and nothing here blocks.
    server.setExecutor(null);
    server.start();
    return new OperatorHttpServer(server);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    Responses.send(exchange, code, "text/plain; charset=utf-8", body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
