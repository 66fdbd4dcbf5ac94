package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the kubelet of the one node: every new pod is run by a {@link PodRunner} and its
 * status written as the kubelet writes it — the main container {@code waiting} (it cannot start),
 * {@code running}, then {@code terminated} with its exit code and termination message, and the
 * phase that follows. A pod that is not one to run (an app's) is reported Running and Ready. A pod
 * deleted while it runs has its container stopped (SIGTERM, then SIGKILL after the grace period).
 */
public final class KubeletStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletStandIn.class);

  private final KubernetesClient client;
  private final PodRunner runner;
  private final Duration grace;
  private final Clock clock;
  private final Map<String, PodRunner.Running> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("kubelet-stand-in"));
  private final LastingWatch<Pod> watch;

  /**
   * Starts watching pods in every namespace.
   *
   * @param grace how long a stopped container has between SIGTERM and SIGKILL
   */
  public KubeletStandIn(KubernetesClient client, PodRunner runner, Duration grace, Clock clock) {
    this.client = client;
    this.runner = runner;
    this.grace = grace;
    this.clock = clock;
    this.watch =
        new LastingWatch<Pod>(
            "pod",
            w -> client.pods().inAnyNamespace().watch(w),
            (action, pod) -> {
              String key = key(pod);
              if (action == Watcher.Action.ADDED && seen.putIfAbsent(key, true) == null) {
                workers.execute(() -> runSafely(pod));
              } else if (action == Watcher.Action.DELETED) {
                PodRunner.Running container = running.remove(key);
                if (container != null) {
                  workers.execute(() -> stopQuietly(container));
                }
              }
            });
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

  /** How many containers run now. */
  public int runningContainers() {
    return running.size();
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
      writeTerminated(pod, exit);
    }
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
      writeStatus(pod, KubeShapes.waiting(main, cannot.reason(), cannot.message()), null);
      return;
    }
    if (started instanceof PodRunner.NotRun) {
      writeStatus(pod, KubeShapes.running(main, now()), readyConditions());
      return;
    }
    PodRunner.Running container = (PodRunner.Running) started;
    String key = key(pod);
    String startedAt = now();
    Optional<PodRunner.Exit> quick = container.await(Duration.ZERO);
    if (quick.isPresent()) {
      writeStatus(pod, terminated(main, quick.get(), startedAt), null);
      return;
    }
    running.put(key, container);
    writeStatus(pod, KubeShapes.running(main, startedAt), null);
    Optional<PodRunner.Exit> exit = Optional.empty();
    while (exit.isEmpty() && running.containsKey(key)) {
      exit = container.await(Duration.ofMillis(200));
    }
    if (exit.isPresent() && running.remove(key) != null) {
      writeStatus(pod, terminated(main, exit.get(), startedAt), null);
    }
  }

  private void stopQuietly(PodRunner.Running container) {
    try {
      container.stop(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeTerminated(Pod pod, PodRunner.Exit exit) {
    Container main = pod.getSpec().getContainers().get(0);
    writeStatus(pod, terminated(main, exit, null), null);
  }

  private ContainerStatus terminated(Container main, PodRunner.Exit exit, String startedAt) {
    return KubeShapes.terminated(main, exit.code(), exit.terminationMessage(), startedAt, now());
  }

  private void writeStatus(Pod pod, ContainerStatus status, List<PodCondition> conditions) {
    Pod current =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    if (current == null) {
      return;
    }
    PodStatusBuilder next =
        new PodStatusBuilder(current.getStatus())
            .withPhase(KubeShapes.phase(status))
            .withContainerStatuses(status);
    if (conditions != null) {
      next.withConditions(conditions);
    }
    current.setStatus(next.build());
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
  }

  private List<PodCondition> readyConditions() {
    String now = now();
    return List.of(
        new PodConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime(now)
            .build(),
        new PodConditionBuilder()
            .withType("ContainersReady")
            .withStatus("True")
            .withLastTransitionTime(now)
            .build());
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    watch.close();
    running.values().forEach(this::stopQuietly);
    running.clear();
    workers.shutdownNow();
  }
}
