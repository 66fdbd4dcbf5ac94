package io.schemagate.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthzAnswersAndReadyzFollowsTheOperatorsReadiness() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (OperatorHttpServer server = OperatorHttpServer.start(0, ready::get)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

      HttpResponse<String> notReady = get(server, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("event sources not healthy");

      ready.set(true);
      HttpResponse<String> nowReady = get(server, "/readyz");
      assertThat(nowReady.statusCode()).isEqualTo(200);
      assertThat(nowReady.body()).isEqualTo("ready");
    }
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    try (OperatorHttpServer server = OperatorHttpServer.start(0, () -> true)) {
      assertThat(get(server, "/metricz").statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<String> get(OperatorHttpServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
