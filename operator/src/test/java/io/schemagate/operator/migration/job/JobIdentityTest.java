package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JobIdentityTest {
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final RunRequest FIRST_MIGRATE = new RunRequest(RunCommand.MIGRATE, 1, null);

  @Test
  void nameIsTheResourceNameAndATenCharacterHash() {
    JobIdentity id = JobIdentity.of(Fixtures.minimal(), FIRST_MIGRATE);

    assertThat(id.hash()).matches("[0-9a-f]{10}");
    assertThat(id.name()).isEqualTo("accounts-" + id.hash());
  }

  @Test
  void longNameIsCutToSixtyThreeCharactersKeepingTheWholeHash() {
    SchemaMigration m = Fixtures.minimal();
    m.getMetadata().setName("a".repeat(50) + "-b" + "c".repeat(200));

    JobIdentity id = JobIdentity.of(m, FIRST_MIGRATE);

    assertThat(id.name()).hasSize(63).endsWith("-" + id.hash()).startsWith("a".repeat(50) + "-b-");
    assertThat(id.name()).matches(DNS_1123_LABEL);
  }

  @Test
  void cutNeverLeavesADoubleDashBeforeTheHash() {
    SchemaMigration m = Fixtures.minimal();
    m.getMetadata().setName("x".repeat(51) + "-yyyy");

    JobIdentity id = JobIdentity.of(m, FIRST_MIGRATE);

    assertThat(id.name()).isEqualTo("x".repeat(51) + "-" + id.hash()).matches(DNS_1123_LABEL);
  }

  @Test
  void dotsOfAResourceNameBecomeDashes() {
    SchemaMigration m = Fixtures.minimal();
    m.getMetadata().setName("orders.v2.shop");

    assertThat(JobIdentity.of(m, FIRST_MIGRATE).name())
        .startsWith("orders-v2-shop-")
        .matches(DNS_1123_LABEL);
  }

  @Test
  void longNamesSharingTheirFirstCharactersGetDifferentJobs() {
    SchemaMigration one = Fixtures.minimal();
    one.getMetadata().setName("p".repeat(60) + "-one");
    SchemaMigration two = Fixtures.minimal();
    two.getMetadata().setName("p".repeat(60) + "-two");

    assertThat(JobIdentity.of(one, FIRST_MIGRATE).name())
        .isNotEqualTo(JobIdentity.of(two, FIRST_MIGRATE).name());
  }

  @Test
  void hashChangesWithGeneration() {
    SchemaMigration m = Fixtures.minimal();
    String before = JobIdentity.of(m, FIRST_MIGRATE).hash();
    m.getMetadata().setGeneration(2L);

    assertThat(JobIdentity.of(m, FIRST_MIGRATE).hash()).isNotEqualTo(before);
  }

  @Test
  void hashChangesWithRetryValueAttemptAndCommand() {
    SchemaMigration m = Fixtures.minimal();
    String base = JobIdentity.of(m, FIRST_MIGRATE).hash();

    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.MIGRATE, 1, "1")).hash())
        .isNotEqualTo(base);
    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.MIGRATE, 1, "")).hash())
        .as("an empty retry annotation is a value, unlike none")
        .isNotEqualTo(base);
    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.MIGRATE, 2, null)).hash())
        .isNotEqualTo(base);
    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.INFO, 1, null)).hash())
        .isNotEqualTo(base);
    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.BASELINE, 1, null)).hash())
        .isNotEqualTo(base);
  }

  @Test
  void hashIgnoresSpecLabelsAndUid() {
    SchemaMigration m = Fixtures.minimal();
    String base = JobIdentity.of(m, FIRST_MIGRATE).hash();
    m.getSpec().getBundle().setImage("registry.example.com/accounts-migrations:2");
    m.getSpec().setTimeout("1h");
    m.getMetadata().setLabels(java.util.Map.of("team", "payments"));
    m.getMetadata().setUid("another-uid");
    m.getMetadata().setResourceVersion("999");

    assertThat(JobIdentity.of(m, FIRST_MIGRATE).hash()).isEqualTo(base);
  }

  @Test
  void builtJobIsAdoptable() {
    SchemaMigration m = Fixtures.orders();
    RunRequest request = new RunRequest(RunCommand.MIGRATE, 2, "x");
    Job job = MigrationJobBuilder.build(m, request);

    assertThat(JobIdentity.of(m, request).adoptable(job)).isTrue();
  }

  @Test
  void jobWithAnotherHashIsNotAdoptable() {
    SchemaMigration m = Fixtures.orders();
    RunRequest request = new RunRequest(RunCommand.MIGRATE, 1, null);
    Job job =
        new JobBuilder(MigrationJobBuilder.build(m, request))
            .editMetadata()
            .addToAnnotations(SchemaGateApi.JOB_HASH_ANNOTATION, "0000000000")
            .endMetadata()
            .build();

    assertThat(JobIdentity.of(m, request).adoptable(job)).isFalse();
  }

  @Test
  void jobWithoutHashAnnotationIsNotAdoptable() {
    SchemaMigration m = Fixtures.orders();
    RunRequest request = new RunRequest(RunCommand.MIGRATE, 1, null);
    Job job =
        new JobBuilder(MigrationJobBuilder.build(m, request))
            .editMetadata()
            .withAnnotations(java.util.Map.of())
            .endMetadata()
            .build();

    assertThat(JobIdentity.of(m, request).adoptable(job)).isFalse();
  }

  @Test
  void jobOfADeletedResourceWithTheSameNameIsNotAdoptable() {
    SchemaMigration before = Fixtures.orders();
    RunRequest request = new RunRequest(RunCommand.MIGRATE, 1, null);
    Job leftover = MigrationJobBuilder.build(before, request);
    SchemaMigration recreated = Fixtures.orders();
    recreated.getMetadata().setUid("11111111-2222-3333-4444-555555555555");

    assertThat(JobIdentity.of(recreated, request).name())
        .isEqualTo(leftover.getMetadata().getName());
    assertThat(JobIdentity.of(recreated, request).adoptable(leftover)).isFalse();
  }

  @Test
  void jobOfAnotherAttemptIsNotAdoptable() {
    SchemaMigration m = Fixtures.orders();
    Job first = MigrationJobBuilder.build(m, new RunRequest(RunCommand.MIGRATE, 1, null));

    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.MIGRATE, 2, null)).adoptable(first))
        .isFalse();
    assertThat(JobIdentity.of(m, new RunRequest(RunCommand.MIGRATE, 1, null)).adoptable(null))
        .isFalse();
  }
}
