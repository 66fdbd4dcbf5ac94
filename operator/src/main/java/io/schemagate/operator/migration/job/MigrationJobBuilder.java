package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.BundleSpec;
import io.schemagate.api.v1alpha1.Durations;
import io.schemagate.api.v1alpha1.JobSpec;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds the Job of one migration attempt, as DESIGN.md "The Job" describes it. */
public final class MigrationJobBuilder {
  private static final SchemaMigrationSpec SPEC_DEFAULTS = new SchemaMigrationSpec();
  private static final JobSpec JOB_DEFAULTS = new JobSpec();

  private MigrationJobBuilder() {}

  /**
   * The Job that runs {@code request} for {@code migration}; the same inputs always give an equal
   * Job.
   *
   * @throws IllegalArgumentException when the spec cannot make a valid Job (validation reports
   *     these as InvalidSpec before a run is asked for)
   */
  public static Job build(SchemaMigration migration, RunRequest request) {
    String resourceName = migration.getMetadata().getName();
    JobIdentity identity = JobIdentity.of(migration, request);
    SchemaMigrationSpec spec = migration.getSpec();
    JobSpec jobSpec = spec.getJob() == null ? JOB_DEFAULTS : spec.getJob();
    Map<String, String> labels = MigrationRef.labels(resourceName);
    Map<String, String> jobAnnotations = new LinkedHashMap<>();
    jobAnnotations.put(SchemaGateApi.JOB_HASH_ANNOTATION, identity.hash());
    jobAnnotations.putAll(MigrationRef.annotations(resourceName));
    Map<String, String> podAnnotations = copy(jobSpec.getPodAnnotations());
    // Ours, not the spec's: the annotation decides which SchemaMigration a pod belongs to.
    podAnnotations.remove(SchemaGateApi.MIGRATION_NAME_ANNOTATION);
    podAnnotations.putAll(MigrationRef.annotations(resourceName));
    return new JobBuilder()
        .withNewMetadata()
        .withName(identity.name())
        .withNamespace(migration.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(jobAnnotations)
        .withOwnerReferences(ownerReference(migration))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withPodFailurePolicy(podFailurePolicy())
        .withPodReplacementPolicy("Failed")
        .withActiveDeadlineSeconds(deadlineSeconds(spec.getTimeout()))
        .withTtlSecondsAfterFinished(
            Objects.requireNonNullElse(
                jobSpec.getTtlSecondsAfterFinished(), JOB_DEFAULTS.getTtlSecondsAfterFinished()))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withSpec(podSpec(spec, jobSpec, request.command()))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static OwnerReference ownerReference(SchemaMigration migration) {
    return new OwnerReferenceBuilder()
        .withApiVersion(SchemaGateApi.API_VERSION)
        .withKind(SchemaGateApi.KIND)
        .withName(migration.getMetadata().getName())
        .withUid(migration.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * A disrupted pod (preemption, eviction, node drain) is replaced without counting as the run's
   * failure; any other non-zero exit of the runner ends the Job at once. Rules match in order, so
   * the disruption rule comes first: a disrupted runner exits non-zero too.
   */
  private static PodFailurePolicy podFailurePolicy() {
    return new PodFailurePolicyBuilder()
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName(SchemaGateApi.RUNNER_CONTAINER)
        .withOperator("NotIn")
        .withValues(0)
        .endOnExitCodes()
        .endRule()
        .build();
  }

  /** Whole seconds, rounded up: the API takes no fractions, and a deadline of 0 is invalid. */
  static long deadlineSeconds(String timeout) {
    Duration d = Durations.parse(timeout == null ? SPEC_DEFAULTS.getTimeout() : timeout);
    if (d.isZero()) {
      throw new IllegalArgumentException("spec.timeout must be more than 0");
    }
    return d.plusNanos(999_999_999L).getSeconds();
  }

  private static PodSpec podSpec(SchemaMigrationSpec spec, JobSpec jobSpec, RunCommand command) {
    BundleSpec bundle = spec.getBundle();
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withAutomountServiceAccountToken(false)
            // Service links would add an env var per Service in the namespace to the runner.
            .withEnableServiceLinks(false)
            .withSecurityContext(RestrictedSecurity.pod())
            .withImagePullSecrets(copyPullSecrets(bundle.getImagePullSecrets()))
            .withNodeSelector(copy(jobSpec.getNodeSelector()))
            .withTolerations(copyTolerations(jobSpec.getTolerations()))
            .withInitContainers(sidecars(jobSpec.getSidecars()))
            .withContainers(runner(spec, jobSpec, command))
            .withVolumes(volumes(jobSpec.getVolumes()));
    String serviceAccount = jobSpec.getServiceAccountName();
    if (serviceAccount != null && !serviceAccount.isEmpty()) {
      pod.withServiceAccountName(serviceAccount);
    }
    return pod.build();
  }

  private static Container runner(SchemaMigrationSpec spec, JobSpec jobSpec, RunCommand command) {
    BundleSpec bundle = spec.getBundle();
    BundleSpec.PullPolicy pullPolicy =
        Objects.requireNonNullElse(bundle.getImagePullPolicy(), BundleSpec.PullPolicy.IfNotPresent);
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName(SchemaGateApi.TMP_VOLUME)
            .withMountPath(SchemaGateApi.TMP_PATH)
            .build());
    if (jobSpec.getVolumeMounts() != null) {
      jobSpec.getVolumeMounts().forEach(m -> mounts.add(new VolumeMountBuilder(m).build()));
    }
    return new ContainerBuilder()
        .withName(SchemaGateApi.RUNNER_CONTAINER)
        .withImage(bundle.getImage())
        .withImagePullPolicy(pullPolicy.name())
        .withArgs(RunnerArguments.of(spec, command))
        .withEnv(RunnerEnvironment.of(spec.getDatabase(), jobSpec))
        .withResources(jobSpec.getResources())
        .withVolumeMounts(mounts)
        .withSecurityContext(RestrictedSecurity.runner())
        .withTerminationMessagePath(RunnerArguments.RESULT_FILE)
        // Never FallbackToLogsOnError: a log tail could carry anything, and a missing result must
        // read as ResultMissing rather than as some text that is not the runner's JSON.
        .withTerminationMessagePolicy("File")
        .build();
  }

  private static List<Container> sidecars(List<Container> sidecars) {
    return sidecars == null
        ? List.of()
        : sidecars.stream().map(RestrictedSecurity::sidecar).toList();
  }

  private static List<Volume> volumes(List<Volume> userVolumes) {
    List<Volume> volumes = new ArrayList<>();
    // The root file system is read-only; the JVM still needs a writable /tmp.
    volumes.add(
        new VolumeBuilder()
            .withName(SchemaGateApi.TMP_VOLUME)
            .withNewEmptyDir()
            .endEmptyDir()
            .build());
    if (userVolumes != null) {
      userVolumes.forEach(v -> volumes.add(new VolumeBuilder(v).build()));
    }
    return volumes;
  }

  private static List<LocalObjectReference> copyPullSecrets(List<LocalObjectReference> secrets) {
    return secrets == null
        ? List.of()
        : secrets.stream().map(s -> new LocalObjectReference(s.getName())).toList();
  }

  private static List<Toleration> copyTolerations(List<Toleration> tolerations) {
    return tolerations == null
        ? List.of()
        : tolerations.stream().map(t -> new TolerationBuilder(t).build()).toList();
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
  }
}
