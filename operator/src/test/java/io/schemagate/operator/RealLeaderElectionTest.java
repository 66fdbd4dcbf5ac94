package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.OperatorRbac;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.testkit.controlplane.ControlPlane;
import io.schemagate.testkit.controlplane.ControlPlane.AuditEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas on a real API server's Lease, each with its own client and identity, as the
 * ServiceAccount of {@code operator/deploy/rbac.yaml}: one leads and alone reconciles; when it is
 * gone without a word, the other takes over once the Lease expires. (The mock-server {@link
 * LeaderElectionTest} runs the same story against the stand-ins.)
 */
@Tag(ControlPlane.TAG)
class RealLeaderElectionTest {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final String NS = "leader-election";

  private static ControlPlane cluster;
  private static KubernetesClient admin;
  private static OperatorRbac rbac;
  private static Path kubeconfig;

  private final List<Operator> replicas = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    cluster.installCrd();
    admin = cluster.adminClient();
    rbac = OperatorRbac.committed();
    kubeconfig = rbac.install(cluster);
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void closeAdmin() {
    if (admin != null) {
      admin.namespaces().withName(NS).delete();
      admin.close();
    }
  }

  @AfterEach
  void stopReplicas() {
    for (Operator o : replicas) {
      try {
        o.stop();
      } catch (RuntimeException ignored) {
        // stopped by the test already
      }
    }
    clients.forEach(KubernetesClient::close);
    admin.leases().inNamespace(OperatorRbac.NAMESPACE).withName(OperatorRbac.NAME).delete();
  }

  @Test
  void oneReplicaLeadsAndAloneReconcilesAndTheOtherTakesOverWhenItIsGone() {
    Operator a = replica("replica-a");
    Await.until("replica-a to hold the Lease", SOON, this::holder, "replica-a"::equals);
    replica("replica-b");

    create("orders");
    Job orders = Await.until("the Job of orders", SOON, () -> job("orders"), j -> j != null);
    running("orders", orders);
    assertThat(holder()).isEqualTo("replica-a");
    assertThat(writesBy("replica-b")).as("writes of the replica that does not lead").isEmpty();
    assertThat(writesBy("replica-a")).as("replica-a created the Job").anySatisfy(jobCreatedIn());

    // JOSDK 5.2.3 stops leader election without releasing the Lease: as if the process were
    // killed, the other replica takes the Lease only once it has expired.
    a.stop();
    Await.until("replica-b to take the Lease", SOON, this::holder, "replica-b"::equals);
    create("invoices");
    Job invoices = Await.until("the Job of invoices", SOON, () -> job("invoices"), j -> j != null);
    running("invoices", invoices);
    assertThat(writesBy("replica-b")).as("replica-b created the Job").anySatisfy(jobCreatedIn());
    assertThat(cluster.audit(rbac.user()))
        .as("requests RBAC refused")
        .filteredOn(e -> e.code() == 401 || e.forbidden())
        .isEmpty();
  }

  private Operator replica(String identity) {
    KubernetesClient client = OperatorRbac.client(kubeconfig, userAgent(identity));
    clients.add(client);
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(),
            List.of(),
            new OperatorSettings.Lease(
                OperatorRbac.NAMESPACE,
                OperatorRbac.NAME,
                Duration.ofSeconds(4),
                Duration.ofSeconds(3),
                Duration.ofMillis(500),
                identity,
                false),
            0,
            OperatorSettings.DEFAULT_RECONCILE_THREADS);
    Operator o = SchemaGateOperator.create(client, settings, Clock.systemUTC());
    replicas.add(o);
    o.start();
    return o;
  }

  private static java.util.function.Consumer<AuditEvent> jobCreatedIn() {
    return e -> {
      assertThat(e.verb()).isEqualTo("create");
      assertThat(e.rbacResource()).isEqualTo("jobs");
      assertThat(e.namespace()).isEqualTo(NS);
      assertThat(e.code()).isEqualTo(201);
    };
  }

  private static String userAgent(String identity) {
    return "schemagate-operator/" + identity;
  }

  /** What a replica wrote: Jobs, SchemaMigration status, Events (the Lease aside). */
  private List<AuditEvent> writesBy(String identity) {
    return cluster.audit(rbac.user()).stream()
        .filter(e -> userAgent(identity).equals(e.userAgent()))
        .filter(e -> Set.of("create", "update", "patch", "delete").contains(e.verb()))
        .filter(e -> e.resource() != null && !e.resource().equals("leases"))
        .filter(e -> !e.resource().startsWith("selfsubject"))
        .toList();
  }

  private String holder() {
    Lease lease =
        admin.leases().inNamespace(OperatorRbac.NAMESPACE).withName(OperatorRbac.NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void create(String name) {
    RealMigrations.create(admin, NS, name);
  }

  private static Job job(String migration) {
    return admin
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel(SchemaGateApi.MIGRATION_LABEL, migration)
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  private static void running(String name, Job job) {
    Await.until(
        name + "'s status to name its Job",
        SOON,
        () -> admin.resources(SchemaMigration.class).inNamespace(NS).withName(name).get(),
        sm ->
            sm.getStatus() != null
                && sm.getStatus().getLastRun() != null
                && job.getMetadata().getName().equals(sm.getStatus().getLastRun().getJobName()));
  }
}
