package io.schemagate.testkit.cluster;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shapes the Job controller and the kubelet write, built without a client: the pod a Job
 * starts, a container's {@code waiting}, {@code running} and {@code terminated} states (with the
 * termination message), and the Job conditions of success and failure. The operator reads exactly
 * these; the fixtures under {@code fixtures/} were recorded in the same shapes.
 */
public final class KubeShapes {
  /** The label the Job controller puts on a Job's pods: the Job's name. */
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

  /** The label older clients still read: the Job's name. */
  public static final String LEGACY_JOB_NAME_LABEL = "job-name";

  /** The label with the UID of the Job that owns a pod. */
  public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  /** What the kubelet keeps of a termination message at most. */
  public static final int TERMINATION_MESSAGE_LIMIT = 4096;

  private KubeShapes() {}

  /**
   * The pod the Job controller creates for {@code job}: its template, the Job's labels and an owner
   * reference, named as {@code generateName: <job>-} would name it, phase Pending.
   */
  public static Pod podFor(Job job, String creationTimestamp) {
    String jobName = job.getMetadata().getName();
    var template = job.getSpec().getTemplate();
    Map<String, String> labels = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(JOB_NAME_LABEL, jobName);
    labels.put(LEGACY_JOB_NAME_LABEL, jobName);
    labels.put(CONTROLLER_UID_LABEL, String.valueOf(job.getMetadata().getUid()));
    Map<String, String> annotations =
        template.getMetadata() == null || template.getMetadata().getAnnotations() == null
            ? Map.of()
            : template.getMetadata().getAnnotations();
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName(jobName))
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withCreationTimestamp(creationTimestamp)
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
  }

  /**
   * The name {@code generateName: <job>-} gives: the API server cuts the base to 58 characters
   * before adding 5 random ones, so a pod name fits 63 like its Job's.
   */
  public static String podName(String jobName) {
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

  /**
   * A container that cannot start (e.g. {@code CreateContainerConfigError}, {@code ErrImagePull}).
   */
  public static ContainerStatus waiting(Container c, String reason, String message) {
    return base(c)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .withReady(false)
        .build();
  }

  /** A container that runs. */
  public static ContainerStatus running(Container c, String startedAt) {
    return base(c)
        .withNewState()
        .withNewRunning()
        .withStartedAt(startedAt)
        .endRunning()
        .endState()
        .withReady(true)
        .withStarted(true)
        .build();
  }

  /**
   * A container that ended with {@code exitCode}: reason {@code Completed} for 0, {@code Error}
   * otherwise, the termination message cut as the kubelet cuts it.
   */
  public static ContainerStatus terminated(
      Container c, int exitCode, String message, String startedAt, String finishedAt) {
    return base(c)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(cut(message))
        .withStartedAt(startedAt)
        .withFinishedAt(finishedAt)
        .endTerminated()
        .endState()
        .withReady(false)
        .withStarted(false)
        .build();
  }

  /** The pod phase of a pod whose only container has this status. */
  public static String phase(ContainerStatus status) {
    var state = status.getState();
    if (state.getTerminated() != null) {
      return state.getTerminated().getExitCode() == 0 ? "Succeeded" : "Failed";
    }
    return state.getRunning() != null ? "Running" : "Pending";
  }

  /** The conditions of a Job whose pod succeeded. */
  public static List<JobCondition> succeeded(String now) {
    String message = "Reached expected number of succeeded pods";
    return List.of(
        condition("SuccessCriteriaMet", "CompletionsReached", message, now),
        condition("Complete", "CompletionsReached", message, now));
  }

  /** The conditions of a Job that failed for {@code reason} (e.g. {@code DeadlineExceeded}). */
  public static List<JobCondition> failed(String reason, String message, String now) {
    return List.of(
        condition("FailureTarget", reason, message, now),
        condition("Failed", reason, message, now));
  }

  /** The message of a Job failed by a pod failure policy's FailJob rule on an exit code. */
  public static String podFailurePolicyMessage(Pod pod, String container, int exitCode, int rule) {
    return "Container "
        + container
        + " for pod "
        + pod.getMetadata().getNamespace()
        + "/"
        + pod.getMetadata().getName()
        + " failed with exit code "
        + exitCode
        + " matching FailJob rule at index "
        + rule;
  }

  private static JobCondition condition(String type, String reason, String message, String now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private static ContainerStatusBuilder base(Container c) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withRestartCount(0);
  }

  private static String cut(String message) {
    if (message == null) {
      return null;
    }
    byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= TERMINATION_MESSAGE_LIMIT) {
      return message;
    }
    return new String(bytes, 0, TERMINATION_MESSAGE_LIMIT, java.nio.charset.StandardCharsets.UTF_8);
  }
}
