package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's reconciler alone (no webhook: fabric8's mock API server runs none) against the CRUD
 * mock server, with the Job controller and kubelet stand-ins: a bundle image tagged {@code :N}
 * migrates to revision N, one tagged {@code :broken} fails.
 */
@EnableKubernetesMockClient(crud = true)
class GateReconcilerTest {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;
  ClusterStandIn cluster;
  GateCounters counters = new GateCounters();

  @BeforeEach
  void start() {
    client
        .secrets()
        .inNamespace(NS)
        .resource(Fixtures.credentials(NS, "orders-db", "app", "s3cret"))
        .create();
    GateSignals signals = new GateSignals(new EventRecorder(client, Clock.systemUTC()), counters);
    operator = SchemaGateOperator.builder(client, OperatorSettings.local()).gate(signals).build();
    operator.start();
    cluster =
        ClusterStandIn.start(
            client,
            new CannedPods(
                pod -> {
                  String tag = tag(pod);
                  return tag.equals("broken")
                      ? Outcome.failed(
                          1, Fixtures.failed("MigrationFailed", "V9__broken.sql line 1: boom"))
                      : Outcome.succeeded(Fixtures.succeeded(tag, Integer.parseInt(tag)));
                }),
            Duration.ofMillis(300));
  }

  @AfterEach
  void stop() {
    cluster.close();
    operator.stop();
  }

  @Test
  void aDeploymentWaitsForItsMigrationAndIsReleasedWhenItIsReady() {
    deploy("web", "orders", Map.of());
    Deployment held = awaitDeployment("web", d -> RealMigrations.heldBy(d, "orders"));
    assertThat(held.getSpec().getPaused()).isTrue();
    await(
        "a Warning that the migration does not exist",
        () -> reasons("web"),
        r -> r.contains("MigrationNotFound"));

    migrate("orders", "3");
    Deployment released =
        awaitDeployment("web", d -> !Boolean.TRUE.equals(d.getSpec().getPaused()));
    assertThat(released.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    await("released Events on both", () -> reasons("web"), r -> r.contains(GateSignals.RELEASED));
    await(
        "the migration's Events",
        () -> reasons("orders"),
        r -> r.containsAll(List.of(GateSignals.HELD, GateSignals.RELEASED)));
    SchemaMigration sm =
        await(
            "the status to hold nothing",
            () -> migration("orders"),
            m -> gated(m).equals("False/NoDeploymentsHeld"));
    assertThat(sm.getStatus().getGatedDeployments()).isEmpty();
    assertThat(counters.count(GateCounters.Kind.HELD, NS, "orders")).isEqualTo(1);
    assertThat(counters.count(GateCounters.Kind.RELEASED, NS, "orders")).isEqualTo(1);
  }

  @Test
  void whileHeldTheStatusListsTheDeploymentAndARequiredRevisionWaitsForTheBundleThatHasIt() {
    migrate("orders", "3");
    awaitMigration("orders", ready());
    deploy("web", "orders", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "4"));
    deploy("api", "orders", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "3"));
    awaitDeployment("web", d -> RealMigrations.heldBy(d, "orders"));
    SchemaMigration holding =
        await(
            "the status to list the held Deployment",
            () -> migration("orders"),
            m -> gated(m).equals("True/DeploymentsHeld"));
    assertThat(holding.getStatus().getGatedDeployments()).containsExactly("web");
    assertThat(
            Conditions.find(holding.getStatus().getConditions(), Conditions.DEPLOYMENTS_GATED)
                .getMessage())
        .contains("web");
    // Revision 3 meets what api requires: it was never held.
    assertThat(deployment("api").getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
    assertThat(deployment("api").getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);

    // The roll-forward: the bundle with revision 4.
    SchemaMigration sm = migration("orders");
    sm.getSpec().getBundle().setImage("registry.example.com/orders-migrations:4");
    client.resource(sm).update();
    awaitDeployment("web", d -> !Boolean.TRUE.equals(d.getSpec().getPaused()));
    await(
        "the status to hold nothing", () -> migration("orders"), m -> gated(m).startsWith("False"));
  }

  @Test
  void aFailedMigrationKeepsItsDeploymentHeldAndBypassReleasesIt() {
    migrate("orders", "broken");
    awaitMigration("orders", m -> Conditions.isTrue(m.getStatus().getConditions(), "Stalled"));
    deploy("web", "orders", Map.of());
    awaitDeployment("web", d -> RealMigrations.heldBy(d, "orders"));

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put(SchemaGateApi.BYPASS_ANNOTATION, "true");
              return d;
            });
    awaitDeployment("web", d -> !Boolean.TRUE.equals(d.getSpec().getPaused()));
    await("a GateBypassed Warning", () -> reasons("web"), r -> r.contains(GateSignals.BYPASSED));
    assertThat(warnings("orders")).contains(GateSignals.BYPASSED);
    assertThat(counters.count(GateCounters.Kind.BYPASSED, NS, "orders")).isEqualTo(1);
  }

  @Test
  void aDeploymentAPersonPausedStaysPausedWhenTheGateOpens() {
    Deployment d = Fixtures.app(NS, "web", "orders", Map.of());
    d.getSpec().setPaused(true);
    client.apps().deployments().inNamespace(NS).resource(d).create();
    migrate("orders", "3");
    awaitMigration("orders", ready());
    // Let the gate's reconciler see the open gate, then look: still the person's pause.
    deploy("probe", "orders", Map.of());
    await(
        "the gate to be open",
        () -> deployment("probe"),
        p -> p.getMetadata().getGeneration() != null);
    Deployment after = deployment("web");
    assertThat(after.getSpec().getPaused()).isTrue();
    assertThat(after.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    assertThat(reasons("web")).doesNotContain(GateSignals.RELEASED, GateSignals.HELD);
  }

  @Test
  void aMalformedRequiredRevisionKeepsItHeldWithOneClearWarning() {
    migrate("orders", "3");
    awaitMigration("orders", ready());
    deploy("web", "orders", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "4.x"));
    awaitDeployment("web", d -> RealMigrations.heldBy(d, "orders"));
    List<Event> warned =
        await(
            "the Warning",
            () -> events("web"),
            e -> e.stream().anyMatch(x -> "InvalidRequiredRevision".equals(x.getReason())));
    assertThat(warned.stream().filter(x -> "InvalidRequiredRevision".equals(x.getReason())))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("requires-revision").contains("4.x");
            });
  }

  @Test
  void removingTheGateLabelReleasesTheHoldAndUngatedDeploymentsAreNeverTouched() {
    deploy("web", "orders", Map.of());
    deploy("plain", null, Map.of());
    awaitDeployment("web", d -> RealMigrations.heldBy(d, "orders"));
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getMetadata().getLabels().remove(SchemaGateApi.GATE_LABEL);
              return d;
            });
    awaitDeployment("web", d -> !Boolean.TRUE.equals(d.getSpec().getPaused()));
    Deployment plain = deployment("plain");
    assertThat(plain.getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
    assertThat(plain.getMetadata().getResourceVersion()).isEqualTo(created.get("plain"));
    assertThat(reasons("plain")).isEmpty();
  }

  // --- helpers

  final Map<String, String> created = new HashMap<>();

  void deploy(String name, String gate, Map<String, String> annotations) {
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .resource(Fixtures.app(NS, name, gate, annotations))
            .create();
    created.put(name, d.getMetadata().getResourceVersion());
  }

  void migrate(String name, String tag) {
    SchemaMigration sm = Fixtures.migration(NS, "orders");
    sm.getMetadata().setName(name);
    sm.getSpec().getBundle().setImage("registry.example.com/orders-migrations:" + tag);
    client.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  static String tag(Pod pod) {
    String image = pod.getSpec().getContainers().get(0).getImage();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  static String gated(SchemaMigration sm) {
    if (sm == null || sm.getStatus() == null) {
      return "";
    }
    var c = Conditions.find(sm.getStatus().getConditions(), Conditions.DEPLOYMENTS_GATED);
    return c == null ? "" : c.getStatus() + "/" + c.getReason();
  }

  static Predicate<SchemaMigration> ready() {
    return sm -> Conditions.isTrue(sm.getStatus().getConditions(), "Ready");
  }

  SchemaMigration migration(String name) {
    return client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get();
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  SchemaMigration awaitMigration(String name, Predicate<SchemaMigration> done) {
    return await(
        name, () -> migration(name), sm -> sm != null && sm.getStatus() != null && done.test(sm));
  }

  Deployment awaitDeployment(String name, Predicate<Deployment> done) {
    return await("Deployment " + name, () -> deployment(name), d -> d != null && done.test(d));
  }

  <T> T await(String what, java.util.function.Supplier<T> read, Predicate<T> done) {
    return Await.until(what, WAIT, read, done);
  }

  List<Event> events(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<String> reasons(String name) {
    return events(name).stream().map(Event::getReason).toList();
  }

  List<String> warnings(String name) {
    return events(name).stream()
        .filter(e -> "Warning".equals(e.getType()))
        .map(Event::getReason)
        .toList();
  }
}
