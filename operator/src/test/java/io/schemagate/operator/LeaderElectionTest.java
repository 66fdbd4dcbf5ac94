package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.metrics.OperatorMetrics;
import io.schemagate.operator.testing.Await;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas with a Lease: one reconciles; when it goes away, the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  static final String NS = "shop";

  KubernetesMockServer server;
  KubernetesClient client;
  ClusterStandIn cluster;
  Operator first;
  Operator second;
  final java.util.Map<String, OperatorMetrics> metrics =
      new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the CRUD mock
    // would only echo back: answer it as an API server granting the chart's Role would.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .withResourceRules(
                    new ResourceRuleBuilder()
                        .withApiGroups("coordination.k8s.io")
                        .withResources("leases")
                        .withVerbs("get", "create", "update")
                        .build())
                .endStatus()
                .build())
        .always();
    cluster =
        ClusterStandIn.start(
            client,
            new CannedPods(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3))),
            Duration.ofSeconds(1));
  }

  @AfterEach
  void tearDown() {
    cluster.close();
    metrics.values().forEach(OperatorMetrics::close);
    for (Operator o : new Operator[] {first, second}) {
      if (o != null) {
        try {
          o.stop();
        } catch (RuntimeException ignored) {
          // already stopped by the test
        }
      }
    }
  }

  Operator replica(String identity) {
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(),
            List.of(),
            new OperatorSettings.Lease(
                "schemagate-system",
                "schemagate-operator",
                Duration.ofSeconds(2),
                Duration.ofMillis(1500),
                Duration.ofMillis(200),
                identity,
                false),
            0,
            OperatorSettings.DEFAULT_RECONCILE_THREADS);
    OperatorMetrics m = new OperatorMetrics(Clock.systemUTC(), new GateCounters());
    metrics.put(identity, m);
    Operator o =
        SchemaGateOperator.builder(client, settings)
            .metrics(m.reconciliations())
            .migrationMetrics(m.migrations())
            .build();
    o.start();
    return o;
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops() {
    first = replica("replica-a");
    Await.until(
        "replica-a to hold the Lease", Duration.ofSeconds(10), this::holder, "replica-a"::equals);
    second = replica("replica-b");

    create("orders");
    ready("orders");
    assertThat(jobs()).hasSize(1);
    assertThat(holder()).isEqualTo("replica-a");
    // Both replicas' caches hold it; only the leader exports its series.
    assertThat(metrics.get("replica-a").scrape()).contains(readySeries("orders"));
    assertThat(metrics.get("replica-b").scrape()).doesNotContain("schemagate_migration_ready{");

    first.stop();
    Await.until(
        "replica-b to take the Lease", Duration.ofSeconds(15), this::holder, "replica-b"::equals);
    create("invoices");
    ready("invoices");
    assertThat(jobs()).hasSize(2);
    assertThat(metrics.get("replica-b").scrape())
        .contains(readySeries("orders"))
        .contains(readySeries("invoices"));
  }

  static String readySeries(String name) {
    return "schemagate_migration_ready{name=\"" + name + "\",namespace=\"" + NS + "\"} 1.0";
  }

  String holder() {
    Lease lease =
        client.leases().inNamespace("schemagate-system").withName("schemagate-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  void create(String name) {
    SchemaMigration sm =
        Fixtures.migration(
            NS, name, m -> m.getSpec().getDatabase().getCredentialsSecret().setName("db"));
    client.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  void ready(String name) {
    Await.until(
        name + " Ready",
        Duration.ofSeconds(20),
        () -> client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get(),
        sm ->
            sm != null
                && sm.getStatus() != null
                && Conditions.isTrue(sm.getStatus().getConditions(), "Ready"));
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }
}
