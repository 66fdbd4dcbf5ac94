package io.schemagate.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the Job controller and the kubelet write about a Job and its pods, read in one place: the
 * Job's conditions and counts, which pods are the Job's, and whether any of them still runs.
 */
public final class Jobs {
  /** The label the Job controller puts on every pod of a Job: the Job's name. */
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

  private Jobs() {}

  /**
   * Whether the Job has ended: {@code Complete} or {@code Failed}, which the Job controller adds
   * only once the Job's pods have ended (Kubernetes 1.31+).
   */
  public static boolean isTerminal(Job job) {
    return trueCondition(job, "Complete", "Failed").isPresent();
  }

  /** The first of the Job's conditions of one of {@code types} whose status is True. */
  public static Optional<JobCondition> trueCondition(Job job, String... types) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    List<String> wanted = List.of(types);
    return job.getStatus().getConditions().stream()
        .filter(c -> wanted.contains(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /** A count of the Job's status ({@code active}, {@code failed}, ...), 0 when unset. */
  public static int count(Job job, Function<JobStatus, Integer> field) {
    return job.getStatus() == null
        ? 0
        : Objects.requireNonNullElse(field.apply(job.getStatus()), 0);
  }

  /** Whether {@code pod} is one of the pods of the Job named {@code jobName}. */
  public static boolean isPodOf(Pod pod, String jobName) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && jobName.equals(labels.get(JOB_NAME_LABEL));
  }

  /** Whether the pod has ended: phase Succeeded or Failed. */
  public static boolean hasEnded(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * Whether nothing of the Job runs any more: every pod has ended and the Job counts none active or
   * terminating. The next attempt of a migration waits for this.
   */
  public static boolean nothingRunning(Job job, Collection<Pod> pods) {
    return pods.stream().allMatch(Jobs::hasEnded)
        && count(job, JobStatus::getActive) == 0
        && count(job, JobStatus::getTerminating) == 0;
  }
}
