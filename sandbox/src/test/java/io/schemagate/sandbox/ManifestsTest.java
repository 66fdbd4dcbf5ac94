package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.sandbox.cluster.IndexedCrudDispatcher;
import io.schemagate.sandbox.cluster.MockApiServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What {@code --apply} does with an object that already exists. */
class ManifestsTest {
  static final Path APP = Path.of("../examples/40-gated-app.yaml");
  static final Path APP_1_1 = Path.of("../examples/roll-forward/40-gated-app.yaml");

  /**
   * The roll-forward changes a Deployment that the operator writes at the same time (it holds it).
   * kubectl apply's patch does not conflict with such a write; the sandbox's update, a read and a
   * write, can: the API server answers 409 Conflict, and the sandbox reads again and updates again.
   */
  @Test
  void anUpdateRefusedForAConcurrentWriteIsTriedAgain() throws Exception {
    ConflictingUpdates dispatcher = new ConflictingUpdates(Manifests.CONFLICT_ATTEMPTS - 1);
    KubernetesMockServer server = MockApiServer.start(dispatcher);
    try (KubernetesClient client = server.createClient()) {
      Manifests manifests = new Manifests(client);
      assertThat(manifests.apply(Manifests.read(APP)).rejected()).isEmpty();

      Manifests.Outcome outcome = manifests.apply(Manifests.read(APP_1_1));

      assertThat(outcome.rejected()).isEmpty();
      assertThat(dispatcher.refused.get()).isEqualTo(Manifests.CONFLICT_ATTEMPTS - 1);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace("shop")
                  .withName("orders-api")
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "8");
    } finally {
      server.destroy();
    }
  }

  /** A write that keeps conflicting is refused in the end, as the API server's answer. */
  @Test
  void anUpdateThatKeepsConflictingIsRefusedWithTheServersAnswer() throws Exception {
    ConflictingUpdates dispatcher = new ConflictingUpdates(Manifests.CONFLICT_ATTEMPTS);
    KubernetesMockServer server = MockApiServer.start(dispatcher);
    try (KubernetesClient client = server.createClient()) {
      Manifests manifests = new Manifests(client);
      assertThat(manifests.apply(Manifests.read(APP)).rejected()).isEmpty();

      Manifests.Outcome outcome = manifests.apply(Manifests.read(APP_1_1));

      assertThat(outcome.rejected())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.verb()).isEqualTo("updating");
                assertThat(r.error().getCode()).isEqualTo(409);
              });
      assertThat(dispatcher.refused.get()).isEqualTo(Manifests.CONFLICT_ATTEMPTS);
    } finally {
      server.destroy();
    }
  }

  /** Answers the first {@code n} updates of a Deployment as when another writer got in between. */
  static final class ConflictingUpdates extends IndexedCrudDispatcher {
    final AtomicInteger refused = new AtomicInteger();
    private final int n;

    ConflictingUpdates(int n) {
      this.n = n;
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      if (request.getPath().contains("/deployments/") && refused.get() < n) {
        refused.incrementAndGet();
        return new MockResponse()
            .setResponseCode(409)
            .setBody(
                """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,
                 "message":"Operation cannot be fulfilled on deployments.apps \\"orders-api\\":\
                 the object has been modified; please apply your changes to the latest version and\
                 try again"}""");
      }
      return super.handleUpdate(request);
    }
  }
}
