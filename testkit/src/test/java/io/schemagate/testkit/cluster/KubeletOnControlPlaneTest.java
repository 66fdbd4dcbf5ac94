package io.schemagate.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The kubelet stand-in as the one node of a real control plane: Kubernetes' own Job and Deployment
 * controllers turn what it reports into Job and Deployment status.
 */
@Tag(ControlPlane.TAG)
class KubeletOnControlPlaneTest {
  static ControlPlane cluster;
  static KubernetesClient admin;
  static final AtomicInteger NAMESPACES = new AtomicInteger();

  String ns;
  ClusterStandIn node;

  @BeforeAll
  static void start() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    admin = cluster.adminClient();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  void startNode(TestInfo test, PodRunner pods) {
    ns = "kubelet-" + NAMESPACES.incrementAndGet();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    node = ClusterStandIn.node(admin, "node-" + ns, pods, Duration.ofSeconds(5), Set.of(ns));
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
      admin.nodes().withName("node-" + ns).delete();
    }
  }

  @Test
  void aJobsPodIsBoundRunAndItsExitBecomesTheJobsCompletion(TestInfo test) {
    startNode(test, new CannedPods(pod -> Outcome.succeeded("{\"result\":\"ok\"}")));

    admin.batch().v1().jobs().inNamespace(ns).resource(job("ok", 60)).create();

    await(() -> hasCondition(job("ok"), "Complete"));
    Pod pod = onlyPod("ok");
    assertThat(pod.getSpec().getNodeName()).isEqualTo("node-" + ns);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated end =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(end.getExitCode()).isZero();
    assertThat(end.getMessage()).isEqualTo("{\"result\":\"ok\"}");
    assertThat(conditionStatus(pod, "PodScheduled")).isEqualTo("True");
    assertThat(conditionStatus(pod, "Ready")).isEqualTo("False");
  }

  @Test
  void aFailingExitCodeFailsTheJobByItsPodFailurePolicy(TestInfo test) {
    startNode(test, new CannedPods(pod -> Outcome.failed(3, "{\"result\":\"failed\"}")));

    admin.batch().v1().jobs().inNamespace(ns).resource(job("bad", 60)).create();

    await(() -> hasCondition(job("bad"), "Failed"));
    assertThat(job("bad").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("PodFailurePolicy"));
    assertThat(onlyPod("bad").getStatus().getPhase()).isEqualTo("Failed");
  }

  @Test
  void atTheDeadlineTheJobControllerDeletesThePodAndTheContainerIsStoppedGracefully(TestInfo test) {
    startNode(test, new CannedPods(pod -> Outcome.running()));

    admin.batch().v1().jobs().inNamespace(ns).resource(job("slow", 2)).create();

    await(() -> hasCondition(job("slow"), "Failed"));
    assertThat(job("slow").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeadlineExceeded"));
    // The Job is terminal only once its pod is: stopped (143), then deleted for good.
    await(() -> pods("slow").isEmpty());
    assertThat(node.kubelet().runningContainers()).isZero();
  }

  @Test
  void anEvictedPodIsReplacedOnlyOnceItHasEndedAndTheJobStillCompletes(TestInfo test) {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    PodRunner counting =
        new CannedPods(
            pod ->
                started.incrementAndGet() == 1
                    ? Outcome.running()
                    : Outcome.succeeded("{\"result\":\"ok\"}"));
    startNode(test, counting);

    admin.batch().v1().jobs().inNamespace(ns).resource(job("evicted", 120)).create();
    await(() -> node.kubelet().runningContainers() == 1);
    Pod first = onlyPod("evicted");

    admin.pods().inNamespace(ns).withName(first.getMetadata().getName()).evict();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!hasCondition(job("evicted"), "Complete")) {
      mostAtOnce.accumulateAndGet(
          (int) pods("evicted").stream().filter(p -> !terminal(p)).count(), Math::max);
      assertThat(System.nanoTime()).as("the Job completes").isLessThan(deadline);
      sleep(50);
    }

    assertThat(started.get()).isEqualTo(2);
    assertThat(mostAtOnce.get()).as("pods not yet ended at once").isLessThanOrEqualTo(1);
    assertThat(job("evicted").getStatus().getFailed())
        .as("an eviction is not a failure")
        .isIn(0, null);
  }

  @Test
  void anAppsPodsAreRunningAndReadySoItsDeploymentBecomesAvailable(TestInfo test) {
    startNode(test, pod -> new PodRunner.NotRun());

    Deployment app =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("app")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewSelector()
            .addToMatchLabels("app", "app")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "app")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("example.com/app:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    admin.apps().deployments().inNamespace(ns).resource(app).create();

    await(
        () -> {
          Deployment d = admin.apps().deployments().inNamespace(ns).withName("app").get();
          return d.getStatus() != null
              && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas());
        });
    // Scaled down: the Deployment controller deletes a pod gracefully and the node ends it.
    admin.apps().deployments().inNamespace(ns).withName("app").scale(1);
    await(() -> admin.pods().inNamespace(ns).withLabel("app", "app").list().getItems().size() == 1);
  }

  @Test
  void aPodWhoseContainerCannotStartStaysPendingWithTheKubeletsReason(TestInfo test) {
    startNode(
        test,
        new CannedPods(
            pod -> Outcome.cannotStart("CreateContainerConfigError", "secret \"db\" not found")));

    admin.batch().v1().jobs().inNamespace(ns).resource(job("nosecret", 60)).create();

    await(
        () ->
            pods("nosecret").stream()
                .anyMatch(
                    p ->
                        p.getStatus().getContainerStatuses() != null
                            && !p.getStatus().getContainerStatuses().isEmpty()));
    Pod pod = onlyPod("nosecret");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("CreateContainerConfigError");
  }

  // --- helpers

  /** A Job shaped as the operator's: one try, exit codes fail it, disruptions are ignored. */
  static Job job(String name, long deadlineSeconds) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withPodReplacementPolicy("Failed")
        .withNewPodFailurePolicy()
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName("runner")
        .withOperator("NotIn")
        .withValues(0)
        .endOnExitCodes()
        .endRule()
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(5L)
        .addNewContainer()
        .withName("runner")
        .withImage("example.com/bundle:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  Job job(String name) {
    return admin.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  List<Pod> pods(String job) {
    return admin.pods().inNamespace(ns).withLabel(KubeShapes.JOB_NAME_LABEL, job).list().getItems();
  }

  Pod onlyPod(String job) {
    List<Pod> pods = pods(job);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static boolean hasCondition(Job job, String type) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String conditionStatus(Pod pod, String type) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
      sleep(100);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
