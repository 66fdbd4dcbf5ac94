package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.operator.testing.Await;
import io.schemagate.testkit.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code release-holds}, the uninstall's command, against fabric8's CRUD mock API server (which
 * runs no controller: the test deletes the operator's pods as the ReplicaSet controller would). The
 * chart's pre-delete hook runs it on a real API server in {@code ChartOnControlPlaneTest}.
 */
@EnableKubernetesMockClient(crud = true)
class ReleaseHoldsTest {
  static final String SYSTEM = "schemagate-system";

  KubernetesClient client;

  @Test
  void releasesEveryHoldOfSchemagateInTheWatchedNamespacesAndLeavesAPersonsPause() {
    create(held("shop", "orders-api", "orders", Map.of("team", "orders")));
    create(paused("shop", "reports", "orders"));
    create(Fixtures.app("shop", "web", null, Map.of()));
    create(held("billing", "invoices", "invoices", Map.of()));
    create(held("elsewhere", "other", "other", Map.of()));

    ReleaseHolds.Outcome outcome = run(Map.of("SCHEMAGATE_WATCH_NAMESPACES", "shop,billing"));

    assertThat(outcome.released()).containsExactlyInAnyOrder("shop/orders-api", "billing/invoices");
    assertThat(outcome.leftPaused()).containsExactly("shop/reports");
    assertThat(outcome.exitCode()).isZero();
    Deployment released = get("shop", "orders-api");
    assertThat(released.getSpec().getPaused()).isFalse();
    assertThat(released.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION)
        .containsEntry("team", "orders");
    assertThat(get("billing", "invoices").getSpec().getPaused()).isFalse();
    assertThat(get("shop", "reports").getSpec().getPaused())
        .as("a person's pause is theirs")
        .isTrue();
    assertThat(stillHeld(get("elsewhere", "other")))
        .as("a namespace not watched is not touched")
        .isTrue();
    assertThat(client.v1().events().inNamespace("shop").list().getItems())
        .singleElement()
        .satisfies(
            (Event e) -> {
              assertThat(e.getReason()).isEqualTo(GateSignals.RELEASED);
              assertThat(e.getInvolvedObject().getName()).isEqualTo("orders-api");
              assertThat(e.getMessage()).isEqualTo(ReleaseHolds.WHY);
            });
  }

  @Test
  void aWriteInBetweenIsDecidedAgainOnTheStoredCopy() {
    create(held("shop", "orders-api", "orders", Map.of()));
    create(held("shop", "reports", "orders", Map.of()));
    Deployment staleApi = get("shop", "orders-api");
    Deployment staleReports = get("shop", "reports");
    // Someone labels one; someone else ends the other's hold by hand and pauses it themselves.
    client
        .apps()
        .deployments()
        .inNamespace("shop")
        .withName("orders-api")
        .edit(
            d ->
                new DeploymentBuilder(d)
                    .editMetadata()
                    .addToLabels("tier", "1")
                    .endMetadata()
                    .build());
    client
        .apps()
        .deployments()
        .inNamespace("shop")
        .withName("reports")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().remove(SchemaGateApi.PAUSED_BY_ANNOTATION);
              return d;
            });
    ReleaseHolds command = new ReleaseHolds(client, Clock.systemUTC());

    assertThat(command.release(staleApi)).isTrue();
    assertThat(command.release(staleReports)).as("no hold of ours any more").isFalse();

    Deployment api = get("shop", "orders-api");
    assertThat(api.getSpec().getPaused()).isFalse();
    assertThat(api.getMetadata().getLabels()).containsEntry("tier", "1");
    assertThat(get("shop", "reports").getSpec().getPaused()).as("the person's pause").isTrue();
  }

  @Test
  void withoutAListOfNamespacesEveryNamespaceIsSearched() {
    create(held("shop", "orders-api", "orders", Map.of()));
    create(held("elsewhere", "other", "other", Map.of()));

    assertThat(run(Map.of()).released())
        .containsExactlyInAnyOrder("shop/orders-api", "elsewhere/other");
    assertThat(get("elsewhere", "other").getSpec().getPaused()).isFalse();
  }

  @Test
  void theWebhookGoesAndTheOperatorStopsBeforeAnyHoldIsReleased() throws Exception {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("schemagate-gate")
                .endMetadata()
                .build())
        .create();
    create(operatorDeployment());
    for (int i = 0; i < 2; i++) {
      client.pods().inNamespace(SYSTEM).resource(operatorPod("schemagate-operator-" + i)).create();
    }
    create(held("shop", "orders-api", "orders", Map.of()));

    CompletableFuture<Integer> command =
        CompletableFuture.supplyAsync(
            () ->
                ReleaseHolds.main(
                    new String[] {
                      "--webhook-configuration", "schemagate-gate",
                      "--stop-deployment", "schemagate-operator",
                      "--timeout", "30s"
                    },
                    Map.of("SCHEMAGATE_NAMESPACE", SYSTEM),
                    client));
    Await.until(
        "the operator scaled to 0",
        Duration.ofSeconds(10),
        () -> get(SYSTEM, "schemagate-operator").getSpec().getReplicas(),
        replicas -> replicas == 0);
    assertThat(
            client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("schemagate-gate")
                .get())
        .as("the webhook configuration deleted first")
        .isNull();
    Thread.sleep(1500);
    assertThat(command).as("waiting for the operator's pods").isNotDone();
    assertThat(stillHeld(get("shop", "orders-api")))
        .as("no hold released while an operator pod is left")
        .isTrue();

    client.pods().inNamespace(SYSTEM).delete();
    assertThat(command.get()).isZero();
    assertThat(get("shop", "orders-api").getSpec().getPaused()).isFalse();
  }

  @Test
  void anOperatorThatDoesNotStopInTimeLeavesEveryHoldAndFails() {
    create(operatorDeployment());
    client.pods().inNamespace(SYSTEM).resource(operatorPod("schemagate-operator-0")).create();
    create(held("shop", "orders-api", "orders", Map.of()));

    int code =
        ReleaseHolds.main(
            new String[] {"--stop-deployment", "schemagate-operator", "--timeout", "2s"},
            Map.of("SCHEMAGATE_NAMESPACE", SYSTEM),
            client);

    assertThat(code).isEqualTo(1);
    assertThat(stillHeld(get("shop", "orders-api"))).isTrue();
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingChanges() {
    create(held("shop", "orders-api", "orders", Map.of()));
    assertThat(ReleaseHolds.main(new String[] {"--stop"}, Map.of(), client)).isEqualTo(2);
    assertThat(
            ReleaseHolds.main(
                new String[] {"--stop-deployment", "schemagate-operator"}, Map.of(), client))
        .as("no namespace for the operator")
        .isEqualTo(2);
    assertThat(ReleaseHolds.main(new String[] {"--timeout", "soon"}, Map.of(), client))
        .isEqualTo(2);
    assertThat(stillHeld(get("shop", "orders-api"))).isTrue();
  }

  @Test
  void optionsComeFromTheArgumentsAndTheOperatorsVariables() {
    ReleaseHolds.Options o =
        ReleaseHolds.Options.parse(
            new String[] {
              "--log-format", "json", "--stop-deployment", "op", "--timeout", "90s",
            },
            Map.of(
                "SCHEMAGATE_NAMESPACE", SYSTEM, "SCHEMAGATE_WATCH_NAMESPACES", " shop, ,billing"));
    assertThat(o.operatorNamespace()).isEqualTo(SYSTEM);
    assertThat(o.operatorDeployment()).isEqualTo("op");
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.watchNamespaces()).isEqualTo(Set.of("shop", "billing"));
    assertThat(o.webhookConfiguration()).isNull();
  }

  private ReleaseHolds.Outcome run(Map<String, String> env) {
    try {
      return new ReleaseHolds(client, Clock.systemUTC())
          .run(ReleaseHolds.Options.parse(new String[0], env));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Schemagate's hold, as the gate places it. */
  private static Deployment held(
      String namespace, String name, String migration, Map<String, String> annotations) {
    Map<String, String> all = new HashMap<>(annotations);
    all.put(SchemaGateApi.PAUSED_BY_ANNOTATION, migration);
    Deployment d = Fixtures.app(namespace, name, migration, all);
    d.getSpec().setPaused(true);
    return d;
  }

  /** A gated Deployment a person paused. */
  private static Deployment paused(String namespace, String name, String migration) {
    Deployment d = Fixtures.app(namespace, name, migration, Map.of());
    d.getSpec().setPaused(true);
    return d;
  }

  private static Deployment operatorDeployment() {
    return new DeploymentBuilder(Fixtures.app(SYSTEM, "schemagate-operator", null, Map.of()))
        .editSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app.kubernetes.io/name", "schemagate-operator")
        .endSelector()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Pod operatorPod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app.kubernetes.io/name", "schemagate-operator")
        .endMetadata()
        .build();
  }

  private void create(Deployment d) {
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).create();
  }

  private Deployment get(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /** Whether a Deployment still carries schemagate's hold. */
  private static boolean stillHeld(Deployment d) {
    return HeldDeployments.paused(d) && HeldDeployments.pausedBy(d) != null;
  }
}
