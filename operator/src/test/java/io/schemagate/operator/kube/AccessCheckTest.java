package io.schemagate.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The questions asked and the answers read; the real API server's answers are {@code
 * OperatorRbacTest}'s.
 */
@EnableKubernetesMockClient
class AccessCheckTest {
  static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  static final List<AccessCheck.Access> NEEDED =
      List.of(
          new AccessCheck.Access("list", "", "pods"),
          new AccessCheck.Access("watch", "batch", "jobs"));

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void namesEachRefusedAccessInEachNamespace() throws InterruptedException {
    server.expect().post().withPath(PATH).andReturn(201, answer(true)).times(2);
    server.expect().post().withPath(PATH).andReturn(201, answer(false)).times(2);

    assertThat(AccessCheck.refused(client, NEEDED, Set.of("shop", "billing")))
        .containsExactly(
            "watch jobs.batch in namespace billing", "watch jobs.batch in namespace shop");
    SelfSubjectAccessReview asked = asked(server.takeRequest());
    assertThat(asked.getSpec().getResourceAttributes().getVerb()).isEqualTo("list");
    assertThat(asked.getSpec().getResourceAttributes().getResource()).isEqualTo("pods");
    assertThat(asked.getSpec().getResourceAttributes().getNamespace()).isEqualTo("billing");
  }

  @Test
  void withoutNamespacesAsksForAllAtOnce() throws InterruptedException {
    server.expect().post().withPath(PATH).andReturn(201, answer(false)).times(2);

    assertThat(AccessCheck.refused(client, NEEDED, Set.of()))
        .containsExactly("list pods in all namespaces", "watch jobs.batch in all namespaces");
    assertThat(asked(server.takeRequest()).getSpec().getResourceAttributes().getNamespace())
        .isEmpty();
  }

  @Test
  void aReviewNobodyEvaluatedRefusesNothing() {
    // fabric8's CRUD mock stores what it is sent: no status. A server without the API: 404.
    server.expect().post().withPath(PATH).andReturn(201, new SelfSubjectAccessReview()).once();
    assertThat(AccessCheck.refused(client, NEEDED, Set.of())).isEmpty();
    server.expect().post().withPath(PATH).andReturn(404, "").once();
    assertThat(AccessCheck.refused(client, NEEDED, Set.of())).isEmpty();
  }

  private static SelfSubjectAccessReview answer(boolean allowed) {
    return new SelfSubjectAccessReviewBuilder()
        .withNewStatus()
        .withAllowed(allowed)
        .endStatus()
        .build();
  }

  private static SelfSubjectAccessReview asked(RecordedRequest request) {
    return Serialization.unmarshal(request.getUtf8Body(), SelfSubjectAccessReview.class);
  }
}
