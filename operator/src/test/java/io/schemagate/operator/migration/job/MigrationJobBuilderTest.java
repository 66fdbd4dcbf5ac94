package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.LintMode;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationJobBuilderTest {
  private static final RunRequest MIGRATE = new RunRequest(RunCommand.MIGRATE, 1, null);

  private static Job build(SchemaMigration m, RunCommand command) {
    return MigrationJobBuilder.build(m, new RunRequest(command, 1, null));
  }

  private static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  private static Container runner(Job job) {
    assertThat(pod(job).getContainers()).hasSize(1);
    return pod(job).getContainers().get(0);
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void sameInputBuildsAnEqualJob() {
    Job one = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);
    Job two = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);

    assertThat(one).isEqualTo(two);
    assertThat(Serialization.asYaml(one)).isEqualTo(Serialization.asYaml(two));
  }

  @Test
  void jobIsNamedAndAnnotatedWithItsIdentity() {
    SchemaMigration m = Fixtures.orders();
    Job job = MigrationJobBuilder.build(m, MIGRATE);
    JobIdentity id = JobIdentity.of(m, MIGRATE);

    assertThat(job.getMetadata().getName()).isEqualTo(id.name());
    assertThat(job.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(job.getMetadata().getAnnotations())
        .containsExactly(Map.entry(SchemaGateApi.JOB_HASH_ANNOTATION, id.hash()));
  }

  @Test
  void jobIsControlledBySchemaMigration() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);

    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getApiVersion()).isEqualTo("schemagate.io/v1alpha1");
              assertThat(ref.getKind()).isEqualTo("SchemaMigration");
              assertThat(ref.getName()).isEqualTo("orders");
              assertThat(ref.getUid()).isEqualTo("6f1c2a9e-3b4d-4c5e-9f70-812345abcdef");
              assertThat(ref.getController()).isTrue();
              assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
  }

  @Test
  void jobAndPodCarryManagedByAndMigrationLabels() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);
    Map<String, String> expected =
        Map.of("app.kubernetes.io/managed-by", "schemagate", "schemagate.io/migration", "orders");

    assertThat(job.getMetadata().getLabels()).isEqualTo(expected);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(expected);
  }

  @Test
  void nameTooLongForALabelValueIsCutInTheLabelAndWholeInAnAnnotation() {
    SchemaMigration m = Fixtures.minimal();
    String name = "n".repeat(64);
    m.getMetadata().setName(name);
    Job job = MigrationJobBuilder.build(m, MIGRATE);

    for (var meta : List.of(job.getMetadata(), job.getSpec().getTemplate().getMetadata())) {
      assertThat(meta.getLabels().get(SchemaGateApi.MIGRATION_LABEL))
          .isEqualTo(MigrationRef.labelValue(name))
          .hasSizeLessThanOrEqualTo(63);
      assertThat(meta.getAnnotations())
          .containsEntry(SchemaGateApi.MIGRATION_NAME_ANNOTATION, name);
      assertThat(MigrationRef.nameOf(meta)).isEqualTo(name);
    }
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(SchemaGateApi.JOB_HASH_ANNOTATION, JobIdentity.of(m, MIGRATE).hash());
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 64})
  void podAnnotationsOfTheSpecCannotRenameTheMigration(int length) {
    SchemaMigration m = Fixtures.minimal();
    m.getMetadata().setName("n".repeat(length));
    m.getSpec()
        .getJob()
        .setPodAnnotations(Map.of(SchemaGateApi.MIGRATION_NAME_ANNOTATION, "someone-else"));

    Job job = MigrationJobBuilder.build(m, MIGRATE);
    assertThat(MigrationRef.nameOf(job.getSpec().getTemplate().getMetadata()))
        .isEqualTo("n".repeat(length));
  }

  @Test
  void jobRunsOnePodOnceAndFailsOnAnyRunnerError() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);

    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
    assertThat(pod(job).getRestartPolicy()).isEqualTo("Never");
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(0).getOnPodConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("DisruptionTarget");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("runner");
    assertThat(rules.get(1).getOnExitCodes().getOperator()).isEqualTo("NotIn");
    assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(0);
  }

  @Test
  void deadlineComesFromTimeoutAndTtlFromJobSpec() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);

    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(5400L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
  }

  @Test
  void defaultsGiveFifteenMinutesAndOneDay() {
    Job job = MigrationJobBuilder.build(Fixtures.minimal(), MIGRATE);

    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
  }

  @Test
  void subSecondTimeoutRoundsUpAndZeroIsRefused() {
    assertThat(MigrationJobBuilder.deadlineSeconds("1500ms")).isEqualTo(2L);
    assertThat(MigrationJobBuilder.deadlineSeconds("1s")).isEqualTo(1L);
    assertThatThrownBy(() -> MigrationJobBuilder.deadlineSeconds("0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MigrationJobBuilder.deadlineSeconds("15 minutes"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void podIsRestrictedAndRunsAsTheImageUser() {
    PodSpec pod = pod(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE));
    PodSecurityContext security = pod.getSecurityContext();

    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(65532L);
    assertThat(security.getRunAsGroup()).isEqualTo(65532L);
    assertThat(security.getFsGroup()).isEqualTo(65532L);
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void runnerContainerIsLockedDown() {
    SecurityContext security =
        runner(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE)).getSecurityContext();

    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getPrivileged()).isNull();
  }

  @Test
  void runnerGetsAWritableTmpBeforeUserVolumes() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);

    List<Volume> volumes = pod(job).getVolumes();
    assertThat(volumes).extracting(Volume::getName).containsExactly("tmp", "certs");
    assertThat(volumes.get(0).getEmptyDir()).isNotNull();
    assertThat(volumes.get(1).getSecret().getSecretName()).isEqualTo("orders-db-ca");
    assertThat(runner(job).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tmp", "/tmp", null),
            org.assertj.core.groups.Tuple.tuple("certs", "/certs", true));
  }

  @Test
  void runnerUsesTheBundleImageAndWritesItsResultToTheTerminationLog() {
    Container runner = runner(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE));

    assertThat(runner.getName()).isEqualTo("runner");
    assertThat(runner.getImage())
        .isEqualTo("registry.example.com/orders-migrations:2025-10-03-bce8c43");
    assertThat(runner.getImagePullPolicy()).isEqualTo("Always");
    assertThat(runner.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(runner.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(runner.getCommand()).as("the image entrypoint is the runner").isNullOrEmpty();
    assertThat(runner.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(runner.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
  }

  @Test
  void podTakesSchedulingAndIdentitySettingsFromJobSpec() {
    Job job = MigrationJobBuilder.build(Fixtures.orders(), MIGRATE);
    PodSpec pod = pod(job);

    assertThat(pod.getServiceAccountName()).isEqualTo("orders-migrator");
    assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("regcred");
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("migrations");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsExactly(Map.entry("sidecar.istio.io/inject", "false"));
  }

  @Test
  void emptyServiceAccountLeavesTheNamespaceDefault() {
    PodSpec pod = pod(MigrationJobBuilder.build(Fixtures.minimal(), MIGRATE));

    assertThat(pod.getServiceAccountName()).isNull();
    assertThat(pod.getImagePullSecrets()).isEmpty();
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
    assertThat(runner(MigrationJobBuilder.build(Fixtures.minimal(), MIGRATE)).getImagePullPolicy())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void urlIsPlainEnvAndCredentialsComeOnlyFromTheSecret() {
    Container runner = runner(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE));

    assertThat(env(runner, "SCHEMAGATE_URL").getValue())
        .isEqualTo("jdbc:postgresql://orders-db:5432/orders");
    EnvVar user = env(runner, "SCHEMAGATE_USER");
    assertThat(user.getValue()).isNull();
    assertThat(user.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db");
    assertThat(user.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("user");
    EnvVar password = env(runner, "SCHEMAGATE_PASSWORD");
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pass");
  }

  @Test
  void secretKeysDefaultToUsernameAndPassword() {
    Container runner = runner(MigrationJobBuilder.build(Fixtures.minimal(), MIGRATE));

    assertThat(env(runner, "SCHEMAGATE_USER").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("username");
    assertThat(env(runner, "SCHEMAGATE_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("password");
  }

  @Test
  void argsHoldNoUrlUserOrPassword() {
    for (RunCommand command : RunCommand.values()) {
      List<String> args = runner(build(Fixtures.orders(), command)).getArgs();

      assertThat(args)
          .doesNotContain("--url", "--user", "--password", "--password-file")
          .noneMatch(a -> a.contains("jdbc:") || a.contains("orders-db") || a.contains("hunter2"));
    }
  }

  @Test
  void userEnvFollowsTheOperatorsWithoutReservedNames() {
    Container runner = runner(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE));

    assertThat(runner.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly(
            "SCHEMAGATE_URL",
            "SCHEMAGATE_USER",
            "SCHEMAGATE_PASSWORD",
            "JAVA_TOOL_OPTIONS",
            "PGSSLROOTCERT");
    assertThat(runner.getEnv()).noneMatch(e -> "hunter2".equals(e.getValue()));
    assertThat(env(runner, "SCHEMAGATE_URL").getValue()).doesNotContain("evil");
  }

  @Test
  void sidecarsStartAsNativeSidecarsBeforeTheRunner() {
    PodSpec pod = pod(MigrationJobBuilder.build(Fixtures.orders(), MIGRATE));

    assertThat(pod.getInitContainers())
        .extracting(Container::getName, Container::getRestartPolicy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cloud-sql-proxy", "Always"),
            org.assertj.core.groups.Tuple.tuple("debug-proxy", "Always"));
    Container proxy = pod.getInitContainers().get(0);
    assertThat(proxy.getImage()).isEqualTo("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0");
    assertThat(proxy.getArgs()).containsExactly("--port=5432", "project:region:orders");
  }

  @Test
  void sidecarGetsRestrictedDefaultsButKeepsWhatTheUserSet() {
    SchemaMigration m = Fixtures.orders();
    PodSpec pod = pod(MigrationJobBuilder.build(m, MIGRATE));

    SecurityContext proxy = pod.getInitContainers().get(0).getSecurityContext();
    assertThat(proxy.getAllowPrivilegeEscalation()).isFalse();
    assertThat(proxy.getCapabilities().getDrop()).containsExactly("ALL");
    SecurityContext debug = pod.getInitContainers().get(1).getSecurityContext();
    assertThat(debug.getAllowPrivilegeEscalation()).isTrue();
    assertThat(debug.getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(m.getSpec().getJob().getSidecars().get(0).getRestartPolicy())
        .as("the resource's own spec is left as it was")
        .isNull();
  }

  @Test
  void migrateArgsFollowTheSpec() {
    assertThat(runner(build(Fixtures.orders(), RunCommand.MIGRATE)).getArgs())
        .containsExactly(
            "migrate",
            "--result-file",
            "/dev/termination-log",
            "--lock-timeout",
            "5s",
            "--schemas",
            "orders,audit",
            "--target",
            "7",
            "--allow-downgrade",
            "--lint");
  }

  @Test
  void migrateWithDefaultsGoesToHeadWithLint() {
    assertThat(runner(build(Fixtures.minimal(), RunCommand.MIGRATE)).getArgs())
        .containsExactly(
            "migrate", "--result-file", "/dev/termination-log", "--lock-timeout", "10s", "--lint");
  }

  @Test
  void lintWarnLintsWithoutFailingAndOffDoesNotLint() {
    SchemaMigration warn = Fixtures.minimal();
    warn.getSpec().setLint(LintMode.Warn);
    assertThat(runner(build(warn, RunCommand.MIGRATE)).getArgs())
        .contains("--lint-warn")
        .doesNotContain("--lint");

    SchemaMigration off = Fixtures.minimal();
    off.getSpec().setLint(LintMode.Off);
    assertThat(runner(build(off, RunCommand.MIGRATE)).getArgs())
        .doesNotContain("--lint", "--lint-warn");
  }

  @Test
  void infoTakesOnlyTheCommonOptions() {
    assertThat(runner(build(Fixtures.orders(), RunCommand.INFO)).getArgs())
        .containsExactly(
            "info",
            "--result-file",
            "/dev/termination-log",
            "--lock-timeout",
            "5s",
            "--schemas",
            "orders,audit");
  }

  @Test
  void baselineNamesTheBaselineRevision() {
    assertThat(runner(build(Fixtures.orders(), RunCommand.BASELINE)).getArgs())
        .containsExactly(
            "baseline",
            "--result-file",
            "/dev/termination-log",
            "--lock-timeout",
            "5s",
            "--schemas",
            "orders,audit",
            "--version",
            "3");
  }

  @Test
  void baselineWithoutRevisionIsRefused() {
    assertThatThrownBy(() -> build(Fixtures.minimal(), RunCommand.BASELINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baselineRevision");
  }
}
