package io.schemagate.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Stands in for the Job controller and the kubelet in operator tests: for every new Job it creates
 * the pod the Job controller would, and ends it the way the kubelet would report a runner that
 * exited with the result {@code results} gives for the Job (termination message, exit code, Job
 * condition). Runs no process; the sandbox's executor runs the real runner.
 */
public final class CannedJobExecutor implements AutoCloseable {
  /** What the runner "did" in one Job. */
  public record Outcome(int exitCode, String terminationMessage, String jobFailureReason) {
    public static Outcome succeeded(String resultJson) {
      return new Outcome(0, resultJson, null);
    }

    public static Outcome failed(int exitCode, String resultJson) {
      return new Outcome(exitCode, resultJson, null);
    }

    /** A Job the controller failed itself, e.g. {@code DeadlineExceeded}. */
    public static Outcome jobFailed(String reason) {
      return new Outcome(137, null, reason);
    }

    /** A Job left running (the test ends it, or the operator deletes it). */
    public static Outcome running() {
      return new Outcome(-1, null, null);
    }
  }

  private final KubernetesClient client;
  private final Function<Job, Outcome> results;
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  private final Watch watch;

  /**
   * Jobs are worked on in parallel, as a cluster's nodes would run them, and off the watch's thread
   * (a watcher that blocks holds up every later event).
   */
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "canned-kubelet");
            t.setDaemon(true);
            return t;
          });

  public CannedJobExecutor(KubernetesClient client, Function<Job, Outcome> results) {
    this(client, results, true);
  }

  /**
   * @param watch whether to pick up new Jobs by itself; without, the caller passes each Job to
   *     {@link #complete(Job)}
   */
  public CannedJobExecutor(KubernetesClient client, Function<Job, Outcome> results, boolean watch) {
    this.client = client;
    this.results = results;
    if (!watch) {
      this.watch = null;
      return;
    }
    this.watch =
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    if (action == Action.ADDED
                        && seen.putIfAbsent(key(job), Boolean.TRUE) == null) {
                      workers.execute(() -> run(job));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  /** Does for {@code job} what the Job controller and the kubelet would, now, on this thread. */
  public void complete(Job job) {
    run(job);
  }

  private void run(Job job) {
    Outcome outcome = results.apply(job);
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String now = Instant.now().toString();
    Map<String, String> labels = new HashMap<>();
    if (job.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put("batch.kubernetes.io/job-name", name);
    labels.put("job-name", name);
    Pod pod =
        client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name + "-x7k2p")
                    .withNamespace(ns)
                    .withLabels(labels)
                    .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                    .withCreationTimestamp(now)
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .withNewStatus()
                    .withPhase("Running")
                    .endStatus()
                    .build())
            .create();
    if (outcome.exitCode() < 0) {
      return;
    }
    boolean ok = outcome.exitCode() == 0 && outcome.jobFailureReason() == null;
    pod.getStatus().setPhase(ok ? "Succeeded" : "Failed");
    pod.getStatus()
        .setContainerStatuses(
            java.util.List.of(
                new ContainerStatusBuilder()
                    .withName("runner")
                    .withImage(
                        job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(outcome.exitCode())
                    .withReason(ok ? "Completed" : "Error")
                    .withMessage(outcome.terminationMessage())
                    .withStartedAt(now)
                    .withFinishedAt(now)
                    .endTerminated()
                    .endState()
                    .build()));
    client.pods().inNamespace(ns).resource(pod).updateStatus();
    Job current = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    current.setStatus(
        current.getStatus() == null
            ? new io.fabric8.kubernetes.api.model.batch.v1.JobStatus()
            : current.getStatus());
    current.getStatus().setStartTime(now);
    if (ok) {
      current.getStatus().setSucceeded(1);
      current.getStatus().setCompletionTime(now);
      current
          .getStatus()
          .setConditions(
              java.util.List.of(
                  new JobConditionBuilder()
                      .withType("SuccessCriteriaMet")
                      .withStatus("True")
                      .build(),
                  new JobConditionBuilder().withType("Complete").withStatus("True").build()));
    } else {
      String reason =
          outcome.jobFailureReason() == null ? "PodFailurePolicy" : outcome.jobFailureReason();
      current.getStatus().setFailed(1);
      current
          .getStatus()
          .setConditions(
              java.util.List.of(
                  new JobConditionBuilder()
                      .withType("FailureTarget")
                      .withStatus("True")
                      .withReason(reason)
                      .build(),
                  new JobConditionBuilder()
                      .withType("Failed")
                      .withStatus("True")
                      .withReason(reason)
                      .build()));
    }
    client.batch().v1().jobs().inNamespace(ns).resource(current).updateStatus();
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    workers.shutdownNow();
  }
}
