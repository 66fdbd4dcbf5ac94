package io.schemagate.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: settings from the environment, health endpoints, clean shutdown. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    CommonPool.ensureParallelism();
    OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = SchemaGateOperator.create(client, settings, Clock.systemUTC());
    if (settings.healthPort() > 0) {
      startHealth(settings.healthPort(), operator);
    }
    // On SIGTERM: stop taking new events, let running reconciliations finish, release the lease.
    operator.installShutdownHook(Duration.ofSeconds(20));
    operator.start();
    LOG.info(
        "schemagate operator started; namespaces: {}; image prefixes: {}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.allowedImagePrefixes().isEmpty() ? "any" : settings.allowedImagePrefixes());
  }

  private static void startHealth(int port, Operator operator) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean ready = operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(exchange, ready ? 200 : 503, ready ? "ready" : "event sources not healthy");
        });
    server.setExecutor(null);
    server.start();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
