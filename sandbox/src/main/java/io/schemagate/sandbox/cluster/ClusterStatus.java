package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.operator.kube.Jobs;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the kubelet and the Job controller write, in their shapes: the pod a Job starts, its
 * container states ({@code waiting}, {@code running}, {@code terminated} with the termination
 * message), and the Job's start, counts and conditions.
 */
final class ClusterStatus {
  private final KubernetesClient client;
  private final Clock clock;

  ClusterStatus(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  Pod createPod(Job job) {
    String ns = job.getMetadata().getNamespace();
    String jobName = job.getMetadata().getName();
    Map<String, String> labels = new HashMap<>();
    var template = job.getSpec().getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(Jobs.JOB_NAME_LABEL, jobName);
    labels.put("job-name", jobName);
    labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
    Map<String, String> annotations =
        template.getMetadata() == null || template.getMetadata().getAnnotations() == null
            ? Map.of()
            : template.getMetadata().getAnnotations();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName(jobName))
            .withNamespace(ns)
            .withLabels(labels)
            .withAnnotations(annotations)
            .withCreationTimestamp(now())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(jobName)
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .withStatus(new PodStatusBuilder().withPhase("Pending").build())
            .build();
    return client.pods().inNamespace(ns).resource(pod).create();
  }

  /**
   * The name the Job controller's {@code generateName: <job>-} gives: the API server cuts the base
   * to 58 characters before adding 5 random ones, so a pod name fits 63 like its Job's.
   */
  static String podName(String jobName) {
    String base = jobName + "-";
    if (base.length() > 58) {
      base = base.substring(0, 58);
    }
    StringBuilder name = new StringBuilder(base);
    for (int i = 0; i < 5; i++) {
      name.append(Character.forDigit(ThreadLocalRandom.current().nextInt(36), 36));
    }
    return name.toString();
  }

  void waiting(String ns, String podName, Container c, String reason, String message) {
    ContainerStatus status =
        base(c)
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .withReady(false)
            .build();
    editPodStatus(ns, podName, "Pending", status);
  }

  void podRunning(String ns, String podName, Container c) {
    ContainerStatus status =
        base(c)
            .withNewState()
            .withNewRunning()
            .withStartedAt(now())
            .endRunning()
            .endState()
            .withReady(true)
            .withStarted(true)
            .build();
    editPodStatus(ns, podName, "Running", status);
  }

  void podTerminated(String ns, String podName, Container c, int exit, String message) {
    String reason = exit == 0 ? "Completed" : "Error";
    ContainerStatus status =
        base(c)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exit)
            .withReason(reason)
            .withMessage(message)
            .withFinishedAt(now())
            .endTerminated()
            .endState()
            .withReady(false)
            .withStarted(false)
            .build();
    editPodStatus(ns, podName, exit == 0 ? "Succeeded" : "Failed", status);
  }

  private static ContainerStatusBuilder base(Container c) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withRestartCount(0);
  }

  private void editPodStatus(String ns, String podName, String phase, ContainerStatus status) {
    Pod pod = client.pods().inNamespace(ns).withName(podName).get();
    if (pod == null) {
      return;
    }
    pod.setStatus(
        new PodStatusBuilder(pod.getStatus())
            .withPhase(phase)
            .withContainerStatuses(status)
            .build());
    client.pods().inNamespace(ns).resource(pod).updateStatus();
  }

  void markJobActive(String ns, String name) {
    editJobStatus(
        ns,
        name,
        s -> {
          s.setStartTime(now());
          s.setActive(1);
        });
  }

  void jobSucceeded(String ns, String name) {
    editJobStatus(
        ns,
        name,
        s -> {
          s.setActive(null);
          s.setSucceeded(1);
          s.setCompletionTime(now());
          s.setConditions(
              List.of(
                  condition(
                      "SuccessCriteriaMet",
                      "CompletionsReached",
                      "Reached expected number of succeeded pods"),
                  condition(
                      "Complete",
                      "CompletionsReached",
                      "Reached expected number of succeeded pods")));
        });
  }

  void jobFailed(String ns, String name, String reason, String message) {
    editJobStatus(
        ns,
        name,
        s -> {
          s.setActive(null);
          s.setFailed(1);
          s.setConditions(
              List.of(
                  condition("FailureTarget", reason, message),
                  condition("Failed", reason, message)));
        });
  }

  private JobCondition condition(String type, String reason, String message) {
    String now = now();
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private void editJobStatus(String ns, String name, java.util.function.Consumer<JobStatus> edit) {
    Job job = job(ns, name);
    if (job == null) {
      return;
    }
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    edit.accept(status);
    job.setStatus(status);
    client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
  }

  Job job(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private String now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
