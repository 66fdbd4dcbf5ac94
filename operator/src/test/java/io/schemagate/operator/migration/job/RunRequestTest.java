package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRequestTest {

  @Test
  void retryValueComesFromTheRetryAnnotation() {
    RunRequest request = RunRequest.of(Fixtures.orders(), RunCommand.MIGRATE, 2);

    assertThat(request).isEqualTo(new RunRequest(RunCommand.MIGRATE, 2, "2025-10-04T09:00:00Z"));
  }

  @Test
  void otherAnnotationsDoNotChangeTheJob() {
    SchemaMigration m = Fixtures.minimal();
    String before = JobIdentity.of(m, RunRequest.of(m, RunCommand.MIGRATE, 1)).hash();
    m.getMetadata()
        .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));

    assertThat(RunRequest.of(m, RunCommand.MIGRATE, 1).retryValue()).isNull();
    assertThat(JobIdentity.of(m, RunRequest.of(m, RunCommand.MIGRATE, 1)).hash()).isEqualTo(before);
  }

  @Test
  void newRetryValueMakesANewJob() {
    SchemaMigration m = Fixtures.orders();
    String before = JobIdentity.of(m, RunRequest.of(m, RunCommand.MIGRATE, 1)).name();
    m.getMetadata().getAnnotations().put("schemagate.io/retry", "2025-10-05T10:00:00Z");

    assertThat(JobIdentity.of(m, RunRequest.of(m, RunCommand.MIGRATE, 1)).name())
        .isNotEqualTo(before);
  }

  @Test
  void attemptsCountFromOne() {
    assertThatThrownBy(() -> new RunRequest(RunCommand.INFO, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
