package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the kubelet of the one node: every pod is run by a {@link PodRunner} and its status
 * written as the kubelet writes it — the main container {@code waiting} (it cannot start), {@code
 * running}, then {@code terminated} with its exit code and termination message, and the phase and
 * conditions that follow. A pod that is not one to run (an app's) is reported Running and Ready.
 *
 * <p>Against fabric8's mock API server ({@link #KubeletStandIn(KubernetesClient, PodRunner,
 * Duration, Clock)}) it runs every new pod, and a pod deleted while it runs has its container
 * stopped. Against a real API server ({@link #asNode}) it acts as a node: it registers its Node,
 * binds every unscheduled pod to it (there is no scheduler), and follows graceful deletion as the
 * kubelet does — a pod given a deletion timestamp (by a controller, an eviction, {@code kubectl
 * delete}) has its container stopped (SIGTERM, then SIGKILL once the pod's grace period has
 * passed), its terminated status written (conditions such as the API server's {@code
 * DisruptionTarget} kept), and is then deleted for good.
 */
public final class KubeletStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletStandIn.class);

  private final KubernetesClient client;
  private final PodRunner runner;
  private final Duration grace;
  private final Clock clock;
  private final String node;
  private final Set<String> namespaces;
  private final Map<String, PodRunner.Running> running = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> bound = ConcurrentHashMap.newKeySet();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("kubelet-stand-in"));
  private final LastingWatch<Pod> watch;

  /**
   * The kubelet for fabric8's mock API server: starts watching pods in every namespace and runs
   * each new one.
   *
   * @param grace how long a stopped container has between SIGTERM and SIGKILL
   */
  public KubeletStandIn(KubernetesClient client, PodRunner runner, Duration grace, Clock clock) {
    this(client, runner, grace, clock, null, Set.of());
  }

  private KubeletStandIn(
      KubernetesClient client,
      PodRunner runner,
      Duration grace,
      Clock clock,
      String node,
      Set<String> namespaces) {
    this.client = client;
    this.runner = runner;
    this.grace = grace;
    this.clock = clock;
    this.node = node;
    this.namespaces = Set.copyOf(namespaces);
    if (node != null) {
      register(node);
    }
    this.watch =
        new LastingWatch<Pod>(
            "pod", w -> client.pods().inAnyNamespace().watch(w), this::podChanged);
  }

  /**
   * The kubelet of the node {@code node} of a real control plane: registers the Node (Ready), then
   * binds, runs and ends pods as described above.
   *
   * @param grace how long a stopped container has between SIGTERM and SIGKILL when a pod is deleted
   *     without a grace period of its own
   * @param namespaces the namespaces whose pods it schedules onto its node (empty: every one), so
   *     that tests sharing one control plane each keep their pods on their own node
   */
  public static KubeletStandIn asNode(
      KubernetesClient client,
      String node,
      PodRunner runner,
      Duration grace,
      Clock clock,
      Set<String> namespaces) {
    return new KubeletStandIn(client, runner, grace, clock, node, namespaces);
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String uid(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid == null ? key(pod) : uid;
  }

  /** How many containers run now. */
  public int runningContainers() {
    return running.size();
  }

  /** The node's name, when this stands in for a real cluster's node. */
  public Optional<String> node() {
    return Optional.ofNullable(node);
  }

  private void podChanged(Watcher.Action action, Pod pod) {
    String key = key(pod);
    if (action == Watcher.Action.DELETED) {
      PodRunner.Running container = running.remove(key);
      if (container != null) {
        workers.execute(() -> stopQuietly(container, grace));
      }
      return;
    }
    if (node == null) {
      if (action == Watcher.Action.ADDED && seen.add(uid(pod))) {
        workers.execute(() -> runSafely(pod));
      }
      return;
    }
    String podNode = pod.getSpec().getNodeName();
    if (podNode == null
        && !namespaces.isEmpty()
        && !namespaces.contains(pod.getMetadata().getNamespace())) {
      return; // for another node to schedule
    }
    if (podNode != null && !podNode.equals(node)) {
      return; // another node's pod
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (terminating.add(uid(pod))) {
        workers.execute(() -> terminateSafely(pod));
      }
    } else if (podNode == null) {
      if (bound.add(uid(pod))) {
        workers.execute(() -> bind(pod));
      }
    } else if (seen.add(uid(pod))) {
      workers.execute(() -> runSafely(pod));
    }
  }

  /** Registers the Node, Ready, as a kubelet does when it starts. */
  private void register(String name) {
    Node existing = client.nodes().withName(name).get();
    Node n =
        existing != null
            ? existing
            : client
                .nodes()
                .resource(
                    new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("kubernetes.io/hostname", name)
                        .addToLabels("kubernetes.io/os", "linux")
                        .endMetadata()
                        .build())
                .create();
    String now = now();
    n.setStatus(
        new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
            .addToCapacity("cpu", new Quantity("2"))
            .addToCapacity("memory", new Quantity("8Gi"))
            .addToCapacity("pods", new Quantity("1000"))
            .addToAllocatable("cpu", new Quantity("2"))
            .addToAllocatable("memory", new Quantity("8Gi"))
            .addToAllocatable("pods", new Quantity("1000"))
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("the schemagate kubelet stand-in is posting ready status")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .endCondition()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress("127.0.0.1")
            .endAddress()
            .addNewAddress()
            .withType("Hostname")
            .withAddress(name)
            .endAddress()
            .withNewNodeInfo()
            .withArchitecture("amd64")
            .withOperatingSystem("linux")
            .withKubeletVersion("schemagate-kubelet-stand-in")
            .withKubeProxyVersion("")
            .withContainerRuntimeVersion("schemagate://child-process")
            .withOsImage("")
            .withKernelVersion("")
            .withBootID("")
            .withMachineID("")
            .withSystemUUID("")
            .endNodeInfo()
            .build());
    client.nodes().resource(n).updateStatus();
  }

  /** Binds an unscheduled pod to the node, as the scheduler would. */
  private void bind(Pod pod) {
    try {
      client
          .bindings()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName(pod.getMetadata().getName())
                  .withUid(pod.getMetadata().getUid())
                  .endMetadata()
                  .withNewTarget()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(node)
                  .endTarget()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // Deleted meanwhile, or bound by someone else: the watch tells what happens next.
      LOG.debug("{}: not bound: {}", key(pod), e.getMessage());
    }
  }

  /**
   * Stops the pod's container, if it runs, and writes its terminated status: what the kubelet does
   * when a pod is deleted with a grace period (the mock API server deletes at once, so the Job
   * controller stand-in asks for this before it deletes).
   */
  public void stop(Pod pod) throws InterruptedException {
    PodRunner.Running container = running.remove(key(pod));
    if (container != null) {
      PodRunner.Exit exit = container.stop(grace);
      writeTerminated(pod, exit, null);
    }
  }

  private void terminateSafely(Pod pod) {
    try {
      terminate(pod);
    } catch (KubernetesClientException e) {
      LOG.debug("{}: {}", key(pod), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A pod with a deletion timestamp: its container is stopped within the pod's grace period, its
   * last status written, and the pod deleted for good.
   */
  private void terminate(Pod pod) throws InterruptedException {
    PodRunner.Running container = running.remove(key(pod));
    if (container != null) {
      Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
      Duration podGrace = seconds == null ? grace : Duration.ofSeconds(seconds);
      writeTerminated(pod, container.stop(podGrace), null);
    }
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
  }

  private void runSafely(Pod pod) {
    try {
      run(pod);
    } catch (KubernetesClientException e) {
      // The pod was deleted under us: nothing left to report to.
      LOG.debug("{}: {}", key(pod), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{}: the kubelet stand-in could not run this pod: {}", key(pod), e.toString());
    }
  }

  private void run(Pod pod) throws Exception {
    Container main = pod.getSpec().getContainers().get(0);
    PodRunner.Started started = runner.start(pod);
    if (started instanceof PodRunner.CannotStart cannot) {
      writeStatus(pod, KubeShapes.waiting(main, cannot.reason(), cannot.message()), notReady(null));
      return;
    }
    if (started instanceof PodRunner.NotRun) {
      writeStatus(pod, KubeShapes.running(main, now()), ready(true, null));
      return;
    }
    PodRunner.Running container = (PodRunner.Running) started;
    String key = key(pod);
    String startedAt = now();
    Optional<PodRunner.Exit> quick = container.await(Duration.ZERO);
    if (quick.isPresent()) {
      writeTerminated(pod, quick.get(), startedAt);
      return;
    }
    running.put(key, container);
    if (terminating.contains(uid(pod)) && running.remove(key) != null) {
      // Deleted while it started: stop it as terminate() would have.
      writeTerminated(pod, container.stop(grace), startedAt);
      return;
    }
    writeStatus(pod, KubeShapes.running(main, startedAt), ready(true, null));
    Optional<PodRunner.Exit> exit = Optional.empty();
    while (exit.isEmpty() && running.containsKey(key)) {
      exit = container.await(Duration.ofMillis(200));
    }
    if (exit.isPresent() && running.remove(key) != null) {
      writeTerminated(pod, exit.get(), startedAt);
    }
  }

  private void stopQuietly(PodRunner.Running container, Duration grace) {
    try {
      container.stop(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeTerminated(Pod pod, PodRunner.Exit exit, String startedAt) {
    Container main = pod.getSpec().getContainers().get(0);
    writeStatus(
        pod,
        KubeShapes.terminated(main, exit.code(), exit.terminationMessage(), startedAt, now()),
        notReady("PodCompleted"));
  }

  /**
   * Writes the pod's status: the main container's, the phase that follows from it, and {@code
   * conditions} merged by type into those the pod has (so the API server's {@code PodScheduled} and
   * {@code DisruptionTarget} stay). A conflict with another writer (the Job controller adds and
   * removes its finalizer) is answered by reading the pod again.
   */
  private void writeStatus(Pod pod, ContainerStatus status, List<PodCondition> conditions) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    for (int attempt = 0; ; attempt++) {
      Pod current = client.pods().inNamespace(ns).withName(name).get();
      if (current == null
          || (pod.getMetadata().getUid() != null
              && !pod.getMetadata().getUid().equals(current.getMetadata().getUid()))) {
        return;
      }
      PodStatusBuilder next =
          new PodStatusBuilder(current.getStatus())
              .withPhase(KubeShapes.phase(status))
              .withContainerStatuses(status);
      if (node != null) {
        if (current.getStatus() == null || current.getStatus().getStartTime() == null) {
          next.withStartTime(now());
        }
        next.withHostIP("127.0.0.1");
      }
      next.withConditions(merge(current.getStatus(), conditions));
      current.setStatus(next.build());
      try {
        client.pods().inNamespace(ns).resource(current).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  private static List<PodCondition> merge(
      io.fabric8.kubernetes.api.model.PodStatus status, List<PodCondition> conditions) {
    List<PodCondition> merged = new ArrayList<>();
    if (status != null && status.getConditions() != null) {
      merged.addAll(status.getConditions());
    }
    for (PodCondition c : conditions) {
      merged.removeIf(old -> old.getType().equals(c.getType()));
      merged.add(c);
    }
    return merged;
  }

  private List<PodCondition> ready(boolean ready, String reason) {
    String now = now();
    String status = ready ? "True" : "False";
    List<PodCondition> list = new ArrayList<>();
    list.add(condition("Initialized", "True", null, now));
    list.add(condition("ContainersReady", status, reason, now));
    list.add(condition("Ready", status, reason, now));
    return list;
  }

  private List<PodCondition> notReady(String reason) {
    return ready(false, reason == null ? "ContainersNotReady" : reason);
  }

  private static PodCondition condition(String type, String status, String reason, String now) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(now)
        .build();
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    watch.close();
    running.values().forEach(c -> stopQuietly(c, grace));
    running.clear();
    workers.shutdownNow();
  }
}
