package io.schemagate.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's one small HTTP server: {@code /healthz} (the process answers) and {@code /readyz}
 * (its informers are healthy) for the kubelet's probes, and {@code /metrics} for Prometheus.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;

  private OperatorHttpServer(HttpServer server) {
    this.server = server;
  }

  /** As {@link #start(int, BooleanSupplier, Supplier, String)}, without {@code /metrics}. */
  public static OperatorHttpServer start(int port, BooleanSupplier ready) throws IOException {
    return start(port, ready, null, null);
  }

  /**
   * Starts serving on {@code port} of every address (0: any free port).
   *
   * @param ready whether the operator is ready to serve, asked on every {@code /readyz}
   * @param metrics the text of {@code /metrics}, computed on every scrape (null: not served)
   * @param metricsType its content type
   */
  public static OperatorHttpServer start(
      int port, BooleanSupplier ready, Supplier<String> metrics, String metricsType)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    if (metrics != null) {
      server.createContext(
          "/metrics", exchange -> Responses.send(exchange, 200, metricsType, metrics.get()));
    }
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean ok = ready.getAsBoolean();
          respond(exchange, ok ? 200 : 503, ok ? "ready" : "event sources not healthy");
        });
    // The JDK server's default executor runs handlers on its one dispatcher thread: enough for
    // probes and a scrape, and nothing here blocks (a scrape reads caches only).
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
