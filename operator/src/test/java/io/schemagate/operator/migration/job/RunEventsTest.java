package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.schemagate.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class RunEventsTest {
  @Test
  void aJobUpdateMattersOnlyWhenItsCountsConditionsOrDeletionChange() {
    Job active = Fixtures.recorded("job-active.yaml", Job.class);
    Job timestamps =
        new JobBuilder(active)
            .editStatus()
            .withReady(1)
            .withNewUncountedTerminatedPods()
            .addToSucceeded("uid-1")
            .endUncountedTerminatedPods()
            .endStatus()
            .build();
    assertThat(RunEvents.jobChanged(timestamps, active)).isFalse();
    Job complete = Fixtures.recorded("job-complete.yaml", Job.class);
    assertThat(RunEvents.jobChanged(complete, active)).isTrue();
    Job deleting =
        new JobBuilder(active)
            .editMetadata()
            .withDeletionTimestamp("2025-10-04T09:01:00Z")
            .endMetadata()
            .build();
    assertThat(RunEvents.jobChanged(deleting, active)).isTrue();
  }

  @Test
  void aPodUpdateMattersOnlyWhenItsPhaseContainerStatesOrDeletionChange() {
    Pod running = Fixtures.recorded("pod-running.yaml", Pod.class);
    Pod bound =
        new PodBuilder(running)
            .editSpec()
            .withNodeName("node-2")
            .endSpec()
            .editStatus()
            .withPodIP("10.0.0.9")
            .endStatus()
            .build();
    assertThat(RunEvents.podChanged(bound, running)).isFalse();
    assertThat(RunEvents.podChanged(Fixtures.recorded("pod-succeeded.yaml", Pod.class), running))
        .isTrue();
    assertThat(
            RunEvents.podChanged(
                Fixtures.recorded("pod-err-image-pull.yaml", Pod.class),
                Fixtures.recorded("pod-container-creating.yaml", Pod.class)))
        .as("a waiting reason")
        .isTrue();
  }
}
