package io.schemagate.operator.gate;

import static io.schemagate.operator.gate.GateAdmissionTest.OPERATOR;
import static io.schemagate.operator.gate.GateAdmissionTest.deployment;
import static io.schemagate.operator.gate.GateAdmissionTest.migration;
import static io.schemagate.operator.gate.GateAdmissionTest.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.webhook.WebhookCertificates;
import io.schemagate.operator.webhook.WebhookServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook alone, over HTTPS, as the API server calls it: AdmissionReview JSON posted to {@code
 * /mutate-deployments} by a client that trusts only the webhook's CA, for each case the gate tells
 * apart; every answer is read as JSON, the patch decoded.
 */
class WebhookOverHttpsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, SchemaMigration> migrations = new ConcurrentHashMap<>();
  static final List<GateAdmission.Outcome> outcomes = new CopyOnWriteArrayList<>();
  static WebhookServer server;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    WebhookCertificates.Issued tls =
        WebhookCertificates.issue(
            List.of("localhost"), List.of("127.0.0.1"), Clock.systemUTC(), Duration.ofHours(2));
    KubernetesSerialization json = new KubernetesSerialization();
    server =
        WebhookServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            WebhookCertificates.serverContext(tls.certPem(), tls.keyPem()),
            new GateAdmission(OPERATOR, (ns, name) -> migrations.get(ns + "/" + name), json),
            json,
            outcomes::add);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (X509Certificate ca : WebhookCertificates.certificates(tls.caPem())) {
      trust.setCertificateEntry("ca" + i++, ca);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void createOfAGatedDeploymentWithoutItsMigrationIsHeld() throws Exception {
    JsonNode answer = post(review("CREATE", deployment("missing", "", ""), false, "alice"), 200);
    assertThat(answer.at("/response/uid").asText()).isEqualTo("uid-1");
    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(patch(answer))
        .contains("{\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":true}")
        .contains("{\"schemagate.io/paused-by\":\"missing\"}");
  }

  @Test
  void updateToATemplateNeedingANewerRevisionIsHeldAndAnOpenGateReleasesOurHold() throws Exception {
    migrations.put("shop/orders", migration(true, "7"));
    assertThat(patch(post(review("UPDATE", deployment("orders", "8", ""), false, "argocd"), 200)))
        .contains("\"value\":true");
    String held = deployment("orders", "7", "\"schemagate.io/paused-by\":\"orders\"", true);
    assertThat(patch(post(review("UPDATE", held, false, "argocd"), 200)))
        .contains("{\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":false}")
        .contains(
            "{\"op\":\"remove\",\"path\":\"/metadata/annotations/schemagate.io~1paused-by\"}");
  }

  @Test
  void anUnlabelledDeploymentIsAllowedWithoutAPatch() throws Exception {
    JsonNode answer = post(review("CREATE", deployment(null, "", ""), false, "alice"), 200);
    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(answer.at("/response/patch").isMissingNode()).isTrue();
  }

  @Test
  void bypassIsAllowedWithoutAHoldAndTheOperatorsOwnRequestPasses() throws Exception {
    migrations.put("shop/ledger", migration(false, "3"));
    JsonNode bypass =
        post(
            review(
                "UPDATE",
                deployment("ledger", "", "\"schemagate.io/bypass\":\"true\""),
                false,
                "alice"),
            200);
    assertThat(bypass.at("/response/patch").isMissingNode()).isTrue();
    JsonNode own = post(review("UPDATE", deployment("ledger", "", ""), false, OPERATOR), 200);
    assertThat(own.at("/response/allowed").asBoolean()).isTrue();
    assertThat(own.at("/response/patch").isMissingNode()).isTrue();
  }

  @Test
  void aDryRunIsAnsweredAlikeAndFlaggedSoNothingIsRecorded() throws Exception {
    String body =
        review("CREATE", deployment("missing", "", ""), true, "alice").replace("uid-1", "uid-dry");
    assertThat(patch(post(body, 200))).contains("\"value\":true");
    assertThat(outcomes)
        .filteredOn(o -> o.response().getResponse().getUid().equals("uid-dry"))
        .singleElement()
        .satisfies(o -> assertThat(o.dryRun()).isTrue());
  }

  @Test
  void aMalformedRequestGets400WithTheReasonAndOtherMethods405() throws Exception {
    HttpResponse<String> bad = send("POST", "{\"kind\":\"AdmissionReview\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("no request");
    assertThat(send("POST", "not json").body()).contains("not an AdmissionReview");
    assertThat(send("GET", null).statusCode()).isEqualTo(405);
  }

  // --- helpers

  static JsonNode post(String body, int status) throws Exception {
    HttpResponse<String> r = send("POST", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> send(String method, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + WebhookServer.MUTATE_DEPLOYMENTS))
            .timeout(Duration.ofSeconds(5));
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String patch(JsonNode answer) throws Exception {
    assertThat(answer.at("/response/patchType").asText()).isEqualTo("JSONPatch");
    return JSON.writeValueAsString(
        JSON.readTree(
            new String(
                Base64.getDecoder().decode(answer.at("/response/patch").asText()),
                StandardCharsets.UTF_8)));
  }
}
