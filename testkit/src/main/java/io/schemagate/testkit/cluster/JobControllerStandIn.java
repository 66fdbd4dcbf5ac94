package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for Kubernetes' Job controller where there is none (fabric8's mock API server): it
 * starts one pod per new Job, marks the Job active, and turns the pod's end into the Job's status
 * as the controller does — {@code Complete} on success; on failure the pod failure policy's {@code
 * FailJob} rule that matches the exit code, else the backoff limit; {@code DeadlineExceeded} once
 * {@code activeDeadlineSeconds} pass, after the kubelet has stopped the pod. A deleted Job's pods
 * are deleted too, as the garbage collector would.
 */
public final class JobControllerStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobControllerStandIn.class);

  private final KubernetesClient client;
  private final KubeletStandIn kubelet;
  private final Clock clock;
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
  private final ScheduledExecutorService workers;
  private final LastingWatch<Job> jobWatch;
  private final LastingWatch<Pod> podWatch;

  public JobControllerStandIn(KubernetesClient client, KubeletStandIn kubelet, Clock clock) {
    this.client = client;
    this.kubelet = kubelet;
    this.clock = clock;
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(8, KubeletStandIn.daemon("job-controller-stand-in"));
    pool.setRemoveOnCancelPolicy(true);
    this.workers = pool;
    this.jobWatch =
        new LastingWatch<Job>(
            "Job", w -> client.batch().v1().jobs().inAnyNamespace().watch(w), async(this::onJob));
    this.podWatch =
        new LastingWatch<Pod>(
            "Job pod",
            w -> client.pods().inAnyNamespace().withLabel(KubeShapes.JOB_NAME_LABEL).watch(w),
            async(this::onPod));
  }

  /** Handles events on the workers: a watcher that blocks holds up every later event. */
  private <T> BiConsumer<Watcher.Action, T> async(BiConsumer<Watcher.Action, T> handler) {
    return (action, resource) ->
        workers.execute(() -> safely(() -> handler.accept(action, resource)));
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (KubernetesClientException e) {
      // Deleted under us: nothing left to update.
      LOG.debug("{}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("the Job controller stand-in failed: {}", e.toString());
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private void onJob(Watcher.Action action, Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String key = key(ns, name);
    if (action == Watcher.Action.DELETED) {
      ScheduledFuture<?> deadline = deadlines.remove(key);
      if (deadline != null) {
        deadline.cancel(false);
      }
      for (Pod pod : podsOf(ns, name)) {
        client.pods().inNamespace(ns).resource(pod).delete();
      }
      return;
    }
    if (action != Watcher.Action.ADDED || started.putIfAbsent(key, true) != null) {
      return;
    }
    editStatus(
        ns,
        name,
        s -> {
          s.setStartTime(now());
          s.setActive(1);
        });
    client.pods().inNamespace(ns).resource(KubeShapes.podFor(job, now())).create();
    Long seconds = job.getSpec().getActiveDeadlineSeconds();
    if (seconds != null) {
      deadlines.put(
          key, workers.schedule(() -> safely(() -> deadline(ns, name)), seconds, TimeUnit.SECONDS));
    }
  }

  /** A pod of a Job changed: once it has ended, its Job ends the way the pod did. */
  private void onPod(Watcher.Action action, Pod pod) {
    if (action == Watcher.Action.DELETED || pod.getStatus() == null) {
      return;
    }
    String phase = pod.getStatus().getPhase();
    if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    String jobName = pod.getMetadata().getLabels().get(KubeShapes.JOB_NAME_LABEL);
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(jobName).get();
    if (job == null || hasTrueCondition(job, "FailureTarget", "Complete", "Failed")) {
      return;
    }
    cancelDeadline(ns, jobName);
    if ("Succeeded".equals(phase)) {
      editStatus(
          ns,
          jobName,
          s -> {
            s.setActive(null);
            s.setSucceeded(1);
            s.setCompletionTime(now());
            s.setConditions(KubeShapes.succeeded(now()));
          });
      return;
    }
    String reason = "BackoffLimitExceeded";
    String message = "Job has reached the specified backoff limit";
    Integer rule = failJobRule(job, pod);
    if (rule != null) {
      ContainerStateTerminated t = mainTerminated(pod);
      reason = "PodFailurePolicy";
      message =
          KubeShapes.podFailurePolicyMessage(
              pod, pod.getSpec().getContainers().get(0).getName(), t.getExitCode(), rule);
    }
    failJob(ns, jobName, reason, message);
  }

  /**
   * The Job's deadline: {@code FailureTarget} first (so the pods' failure that follows decides
   * nothing), then its pods' containers are stopped (SIGTERM, then SIGKILL after the grace period)
   * and their terminated status written, and only then {@code Failed}, so nothing of it runs once
   * it has failed. Unlike the real controller, which deletes the pods, this leaves them in place,
   * as failed pods are left: the runner's last result stays readable in the termination message.
   */
  private void deadline(String ns, String name) {
    deadlines.remove(key(ns, name));
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    if (job == null || isTerminal(job)) {
      return;
    }
    String reason = "DeadlineExceeded";
    String message = "Job was active longer than specified deadline";
    editStatus(
        ns, name, s -> s.setConditions(List.of(KubeShapes.failed(reason, message, now()).get(0))));
    for (Pod pod : podsOf(ns, name)) {
      try {
        kubelet.stop(pod);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    failJob(ns, name, reason, message);
  }

  private void failJob(String ns, String name, String reason, String message) {
    editStatus(
        ns,
        name,
        s -> {
          s.setActive(null);
          s.setFailed(1);
          s.setConditions(KubeShapes.failed(reason, message, now()));
        });
  }

  /** The index of the Job's FailJob rule whose exit codes include the pod's, or null. */
  private static Integer failJobRule(Job job, Pod pod) {
    ContainerStateTerminated t = mainTerminated(pod);
    var policy = job.getSpec().getPodFailurePolicy();
    if (t == null || policy == null || policy.getRules() == null) {
      return null;
    }
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule r = rules.get(i);
      var codes = r.getOnExitCodes();
      if (!"FailJob".equals(r.getAction()) || codes == null) {
        continue;
      }
      boolean in = codes.getValues().contains(t.getExitCode());
      if ("In".equals(codes.getOperator()) ? in : !in) {
        return i;
      }
    }
    return null;
  }

  private static ContainerStateTerminated mainTerminated(Pod pod) {
    String main = pod.getSpec().getContainers().get(0).getName();
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    return statuses.stream()
        .filter(c -> main.equals(c.getName()) && c.getState() != null)
        .map(c -> c.getState().getTerminated())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static boolean isTerminal(Job job) {
    return hasTrueCondition(job, "Complete", "Failed");
  }

  private static boolean hasTrueCondition(Job job, String... types) {
    List<String> wanted = List.of(types);
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> wanted.contains(c.getType()) && "True".equals(c.getStatus()));
  }

  private void cancelDeadline(String ns, String name) {
    ScheduledFuture<?> deadline = deadlines.remove(key(ns, name));
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private List<Pod> podsOf(String ns, String jobName) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(KubeShapes.JOB_NAME_LABEL, jobName)
        .list()
        .getItems();
  }

  private void editStatus(String ns, String name, Consumer<JobStatus> edit) {
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    if (job == null) {
      return;
    }
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    edit.accept(status);
    job.setStatus(status);
    client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    jobWatch.close();
    podWatch.close();
    workers.shutdownNow();
  }
}
