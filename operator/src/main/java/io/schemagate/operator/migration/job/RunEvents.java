package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.schemagate.operator.kube.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which updates of a migration's Jobs and pods can change what {@link RunOutcomeReader} reads, and
 * so are worth a reconciliation. A Job and its pod are updated some ten times in a run (binding,
 * IPs, readiness, tracking finalizers, uncounted pods, timestamps); only their conditions, counts,
 * phase, container states and deletion matter here. Each reconciliation of a SchemaMigration waits
 * for a thread shared with the gate, so the ones skipped here are latency the gate's releases do
 * not queue behind. (A running Job is looked at every 30 s anyway.)
 */
public final class RunEvents {
  private RunEvents() {}

  /** Whether the Job's update can change the outcome read from it. */
  public static boolean jobChanged(Job now, Job before) {
    return !view(now).equals(view(before));
  }

  /** Whether the pod's update can change the outcome read from it. */
  public static boolean podChanged(Pod now, Pod before) {
    return !view(now).equals(view(before));
  }

  private static List<Object> view(Job job) {
    List<Object> v = new ArrayList<>();
    v.add(job.getMetadata().getDeletionTimestamp() != null);
    v.add(Jobs.count(job, JobStatus::getActive));
    v.add(Jobs.count(job, JobStatus::getSucceeded));
    v.add(Jobs.count(job, JobStatus::getFailed));
    v.add(Jobs.count(job, JobStatus::getTerminating));
    if (job.getStatus() != null && job.getStatus().getConditions() != null) {
      job.getStatus()
          .getConditions()
          .forEach(
              c -> v.add(List.of(c.getType(), c.getStatus(), Objects.toString(c.getReason()))));
    }
    return v;
  }

  private static List<Object> view(Pod pod) {
    List<Object> v = new ArrayList<>();
    v.add(pod.getMetadata().getDeletionTimestamp() != null);
    if (pod.getStatus() == null) {
      return v;
    }
    v.add(Objects.toString(pod.getStatus().getPhase()));
    addStates(v, pod.getStatus().getInitContainerStatuses());
    addStates(v, pod.getStatus().getContainerStatuses());
    return v;
  }

  private static void addStates(List<Object> v, List<ContainerStatus> statuses) {
    if (statuses == null) {
      return;
    }
    for (ContainerStatus s : statuses) {
      v.add(s.getName());
      ContainerState state = s.getState();
      if (state == null) {
        v.add("unknown");
      } else if (state.getTerminated() != null) {
        v.add(
            List.of(
                "terminated",
                Objects.toString(state.getTerminated().getExitCode()),
                Objects.toString(state.getTerminated().getReason()),
                Objects.toString(state.getTerminated().getMessage())));
      } else if (state.getWaiting() != null) {
        v.add(
            List.of(
                "waiting",
                Objects.toString(state.getWaiting().getReason()),
                Objects.toString(state.getWaiting().getMessage())));
      } else {
        v.add(state.getRunning() != null ? "running" : "unknown");
      }
    }
  }
}
