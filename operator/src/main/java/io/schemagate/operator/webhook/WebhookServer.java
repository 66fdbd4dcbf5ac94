package io.schemagate.operator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.operator.gate.GateAdmission;
import io.schemagate.operator.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook over HTTPS: {@code POST /mutate-deployments} with an AdmissionReview,
 * answered by {@link GateAdmission}. A body that is not a review gets 400 with the reason; the API
 * server, whose webhook configuration fails closed, then refuses the request with it.
 */
public final class WebhookServer implements AutoCloseable {
  public static final String MUTATE_DEPLOYMENTS = "/mutate-deployments";

  /** Far above any Deployment (the API server's own limit on a request is 3 MiB). */
  static final int MAX_BODY = 8 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final HttpsServer server;
  private final ExecutorService workers;

  private WebhookServer(HttpsServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /**
   * Serves on {@code address} (port 0: any free one) with {@code tls}; every review's outcome goes
   * to {@code outcomes} (for Events and metrics) before the answer is sent.
   */
  public static WebhookServer start(
      InetSocketAddress address,
      SSLContext tls,
      GateAdmission admission,
      KubernetesSerialization json,
      Consumer<GateAdmission.Outcome> outcomes)
      throws IOException {
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    ExecutorService workers =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "schemagate-webhook");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext(
        MUTATE_DEPLOYMENTS, exchange -> handle(exchange, admission, json, outcomes));
    server.start();
    return new WebhookServer(server, workers);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(
      HttpExchange exchange,
      GateAdmission admission,
      KubernetesSerialization json,
      Consumer<GateAdmission.Outcome> outcomes)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        Responses.send(exchange, 405, "text/plain", "POST an AdmissionReview");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        Responses.send(
            exchange, 413, "text/plain", "the AdmissionReview is larger than " + MAX_BODY);
        return;
      }
      GateAdmission.Outcome outcome;
      try {
        outcome = admission.review(new String(body, StandardCharsets.UTF_8));
      } catch (GateAdmission.Invalid e) {
        Responses.send(exchange, 400, "text/plain", e.getMessage());
        return;
      }
      try {
        outcomes.accept(outcome);
      } catch (RuntimeException e) {
        LOG.warn(
            "recording the gate's admission of {}/{}: {}",
            outcome.namespace(),
            outcome.name(),
            e.toString());
      }
      Responses.send(exchange, 200, "application/json", json.asJson(outcome.response()));
    } catch (RuntimeException e) {
      LOG.warn("the webhook could not answer: {}", e.toString());
      throw e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
