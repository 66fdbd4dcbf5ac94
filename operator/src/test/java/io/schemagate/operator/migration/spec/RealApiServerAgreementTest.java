package io.schemagate.operator.migration.spec;

import static io.schemagate.operator.migration.spec.ApiServerValidation.SERIALIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD on a real kube-apiserver: every example of the offline tests is sent to it (a
 * server-side dry run), the bad ones are rejected on the fields {@link SpecValidator} names, with
 * its words, and the good ones come back with the defaults the offline evaluation applies.
 */
@Tag(ControlPlane.TAG)
class RealApiServerAgreementTest {
  static final String NS = "crd-agreement";

  private static ControlPlane cluster;
  private static KubernetesClient client;
  private static ApiServerValidation offline;

  @BeforeAll
  static void installCrd() throws IOException {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    client = cluster.adminClient();
    offline = ApiServerValidation.committedCrd();
    CrdInstall.apply(cluster);
    cluster.kubectl("create", "namespace", NS);
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<SpecExamples.Example> bad() throws IOException {
    return SpecExamples.bad();
  }

  static Stream<SpecExamples.Example> good() throws IOException {
    return SpecExamples.good();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void theApiServerRejectsWhatSpecValidatorRejectsInItsWords(SpecExamples.Example example) {
    List<Violation> java = SpecValidator.validate(example.toJava());

    assertThatThrownBy(() -> dryRunCreate(example))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
              Map<String, String> server = causes(e);
              assertThat(server.keySet())
                  .as("fields the API server reports: %s; SpecValidator: %s", server, java)
                  .isEqualTo(fields(java));
              for (Violation v : java) {
                if (offline.failedRules(example.object()).contains(v)) {
                  assertThat(server.get(v.field())).as(v.field()).contains(v.message());
                }
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void theApiServerAcceptsTheGoodOnesWithTheDefaultsFilledIn(SpecExamples.Example example) {
    GenericKubernetesResource created = dryRunCreate(example);

    JsonNode spec = SERIALIZATION.convertValue(created, JsonNode.class).get("spec");
    assertThat(spec).isEqualTo(offline.defaulted(example.object()).get("spec"));
    assertThat(SpecValidator.validate(example.toJava())).isEmpty();
  }

  @Test
  void kubectlAppliesTheExampleShowsThePrinterColumnsAndExplainsTheSpec() {
    ControlPlane.Kubectl namespace = cluster.kubectl("create", "namespace", "shop");
    assertThat(namespace.exitCode()).as(namespace.stderr()).isZero();
    ControlPlane.Kubectl apply =
        cluster.kubectl("apply", "-f", SpecExamples.USER_EXAMPLES.get(0).toString());
    assertThat(apply.exitCode()).as(apply.stderr()).isZero();

    ControlPlane.Kubectl table = cluster.kubectl("get", "smig", "-n", "shop");
    assertThat(table.exitCode()).as(table.stderr()).isZero();
    assertThat(table.stdout().lines().findFirst().orElse(""))
        .containsSubsequence("NAME", "READY", "REVISION", "HEAD", "DURATION", "REASON", "AGE");
    assertThat(table.stdout()).contains("accounts");
    ControlPlane.Kubectl category = cluster.kubectl("get", "schemagate", "-n", "shop");
    assertThat(category.exitCode()).as(category.stderr()).isZero();
    assertThat(category.stdout()).as("the category").contains("accounts");

    ControlPlane.Kubectl explain = cluster.kubectl("explain", "schemamigration.spec.database");
    assertThat(explain.exitCode()).as(explain.stderr()).isZero();
    assertThat(explain.stdout()).contains("credentialsSecret", "url", "lockTimeout");
    // With the CRD's descriptions: the field's own and its fields'.
    assertThat(explain.stdout())
        .contains(
            "The PostgreSQL database to migrate.",
            "The Secret holding the user name and password.");
  }

  private static GenericKubernetesResource dryRunCreate(SpecExamples.Example example) {
    ObjectNode object = (ObjectNode) example.object().deepCopy();
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", "example");
    metadata.put("namespace", NS);
    GenericKubernetesResource resource =
        SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
    return client.resource(resource).inNamespace(NS).dryRun().create();
  }

  /**
   * The API server's causes, by field (several on one field joined); without the one without a
   * field that says CEL rules were skipped because the object was already invalid.
   */
  private static Map<String, String> causes(KubernetesClientException e) {
    Map<String, String> byField = new TreeMap<>();
    if (e.getStatus() == null || e.getStatus().getDetails() == null) {
      return byField;
    }
    for (StatusCause c : e.getStatus().getDetails().getCauses()) {
      if (c.getField() == null || c.getField().equals("<nil>")) {
        continue;
      }
      byField.merge(c.getField(), c.getMessage(), (a, b) -> a + "; " + b);
    }
    return byField;
  }

  private static Set<String> fields(List<Violation> violations) {
    return new TreeSet<>(violations.stream().map(Violation::field).toList());
  }
}
