package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The parts of a cluster that fabric8's mock API server lacks, for the operator's tests, the
 * sandbox and the bench: one node's kubelet and the Job controller, both stand-ins. On a real
 * control plane, only the kubelet is needed: Kubernetes runs its own Job controller.
 */
public final class ClusterStandIn implements AutoCloseable {
  private final KubeletStandIn kubelet;
  private final JobControllerStandIn jobController;

  private ClusterStandIn(KubeletStandIn kubelet, JobControllerStandIn jobController) {
    this.kubelet = kubelet;
    this.jobController = jobController;
  }

  /**
   * Starts both against {@code client}'s API server.
   *
   * @param grace how long a stopped container has between SIGTERM and SIGKILL
   */
  public static ClusterStandIn start(KubernetesClient client, PodRunner pods, Duration grace) {
    Clock clock = Clock.systemUTC();
    KubeletStandIn kubelet = new KubeletStandIn(client, pods, grace, clock);
    return new ClusterStandIn(kubelet, new JobControllerStandIn(client, kubelet, clock));
  }

  /**
   * The one node of a real control plane, whose own controllers do the rest: a kubelet stand-in
   * named {@code node} that schedules the pods of {@code namespaces} (empty: every namespace).
   *
   * @param grace how long a stopped container has between SIGTERM and SIGKILL when its pod has no
   *     grace period of its own
   */
  public static ClusterStandIn node(
      KubernetesClient client,
      String node,
      PodRunner pods,
      Duration grace,
      java.util.Set<String> namespaces) {
    return new ClusterStandIn(
        KubeletStandIn.asNode(client, node, pods, grace, Clock.systemUTC(), namespaces), null);
  }

  public KubeletStandIn kubelet() {
    return kubelet;
  }

  @Override
  public void close() {
    if (jobController != null) {
      jobController.close();
    }
    kubelet.close();
  }
}
