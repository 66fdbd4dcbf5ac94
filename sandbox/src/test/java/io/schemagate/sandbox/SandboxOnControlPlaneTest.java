package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of {@link SandboxScenarios} on a real control plane: the API server enforces the
 * CRD, quotas and namespaces, Kubernetes' own Job controller turns the kubelet stand-in's pod
 * status into Job status (pod failure policy, deadline, replacement), and its garbage collector
 * deletes what a deleted owner leaves.
 */
@Tag(ControlPlane.TAG)
class SandboxOnControlPlaneTest extends SandboxScenarios {
  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    startWith(b -> b.controlPlane(ControlPlane.shared()));
  }

  /** The operator runs as its ServiceAccount: its RBAC refused nothing in any scenario. */
  @AfterEach
  void theOperatorWasRefusedNothing() {
    assertThat(
            ControlPlane.shared().audit(SandboxCluster.OPERATOR_USER).stream()
                .filter(ControlPlane.AuditEvent::forbidden)
                .map(Object::toString))
        .as("requests of the operator that RBAC refused")
        .isEmpty();
    assertThat(ControlPlane.shared().audit(SandboxCluster.OPERATOR_USER))
        .as("the operator's requests in the audit log")
        .isNotEmpty();
  }

  @Test
  void aRunnerPodEvictedMidMigrationIsReplacedOnceItEndedAndTheMigrationCompletes()
      throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "slow:1", sm -> sm.getSpec().setTimeout("5m"));
    await(ns, "accounts", running());
    awaitTrue(() -> cluster.kubelet().runningContainers() == 1);
    Pod first = runnerPods(ns).get(0);

    client.pods().inNamespace(ns).withName(first.getMetadata().getName()).evict();

    int mostAtOnce = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    SchemaMigration sm;
    do {
      mostAtOnce =
          Math.max(mostAtOnce, (int) runnerPods(ns).stream().filter(p -> !ended(p)).count());
      mostAtOnce = Math.max(mostAtOnce, cluster.kubelet().runningContainers());
      assertThat(System.nanoTime()).as("Ready within " + WAIT).isLessThan(deadline);
      sleep(50);
      sm = client.resources(SchemaMigration.class).inNamespace(ns).withName("accounts").get();
    } while (!ready().test(sm));

    assertThat(mostAtOnce).as("runner pods at once").isEqualTo(1);
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(jobs(ns)).as("the eviction is retried within the Job").hasSize(1);
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
    assertThat(runnerPods(ns))
        .as("the replacement ran the migration")
        .anySatisfy(
            p -> {
              assertThat(p.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
              assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
            });
    Pod evicted = client.pods().inNamespace(ns).withName(first.getMetadata().getName()).get();
    if (evicted != null) {
      assertThat(evicted.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
    }
  }

  @Test
  void deletingASchemaMigrationDeletesItsJobsAndTheirPods() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:3", sm -> {});
    await(ns, "accounts", ready());
    assertThat(jobs(ns)).isNotEmpty();

    client.resources(SchemaMigration.class).inNamespace(ns).withName("accounts").delete();

    // The garbage collector learns of the CRD from discovery, every 30 s.
    awaitTrue(
        () -> jobs(ns).isEmpty() && client.pods().inNamespace(ns).list().getItems().isEmpty(),
        Duration.ofSeconds(90));
  }

  @Test
  void deletingTheNamespaceOfARunningMigrationCompletes() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "slow:1", sm -> sm.getSpec().setTimeout("5m"));
    await(ns, "accounts", running());

    client.namespaces().withName(ns).delete();

    awaitTrue(() -> client.namespaces().withName(ns).get() == null, Duration.ofSeconds(90));
    assertThat(cluster.kubelet().runningContainers()).isZero();
  }

  static List<Pod> runnerPods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  static boolean ended(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
