package io.schemagate.testkit.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(ControlPlane.TAG)
class ControlPlaneTest {
  static ControlPlane cluster;

  @BeforeAll
  static void start() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
  }

  @Test
  void theServerIsTheVersionItWasBuiltAs() {
    String folder = ControlPlane.binaries().orElseThrow().getFileName().toString();
    String version = folder.substring(0, folder.indexOf('-'));

    assertThat(cluster.version()).contains("\"gitVersion\": \"v" + version + "\"");
  }

  @Test
  void aServiceAccountWithoutRolesIsForbiddenAndItsNamespaceGetsADefaultAccount() throws Exception {
    try (KubernetesClient admin = cluster.adminClient()) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("rbac").endMetadata().build())
          .create();
      admin
          .serviceAccounts()
          .inNamespace("rbac")
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("nobody")
                  .endMetadata()
                  .build())
          .create();
      String token =
          admin
              .serviceAccounts()
              .inNamespace("rbac")
              .withName("nobody")
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      Path kubeconfig = cluster.kubeconfigWithToken("nobody", token);

      try (KubernetesClient nobody = ControlPlane.clientFor(kubeconfig)) {
        assertThatThrownBy(() -> nobody.secrets().inNamespace("rbac").list())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      }
      // The audit log has the refusal, as a test of a component running as an account reads it.
      assertThat(cluster.audit("system:serviceaccount:rbac:nobody"))
          .anySatisfy(
              e -> {
                assertThat(e.verb()).isEqualTo("list");
                assertThat(e.rbacResource()).isEqualTo("secrets");
                assertThat(e.namespace()).isEqualTo("rbac");
                assertThat(e.code()).isEqualTo(403);
                assertThat(e.forbidden()).as("by the authorizer").isTrue();
              });
      ControlPlane.Kubectl sa =
          cluster.kubectl(
              "wait", "--for=create", "--timeout=60s", "serviceaccount/default", "-n", "rbac");
      assertThat(sa.exitCode()).as("the service-account controller runs: " + sa.stderr()).isZero();
    }
  }
}
