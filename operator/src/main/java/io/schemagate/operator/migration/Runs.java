package io.schemagate.operator.migration;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.Jobs;
import io.schemagate.operator.migration.job.JobIdentity;
import io.schemagate.operator.migration.job.RunOutcome;
import io.schemagate.operator.migration.job.RunOutcomeReader;
import io.schemagate.operator.migration.job.RunnerResult;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The Jobs and pods of one SchemaMigration, as seen through the informers and the API. */
final class Runs {
  /** What {@link #createOrAdopt} found. */
  enum Started {
    CREATED,
    ADOPTED,
    FOREIGN
  }

  private final SchemaMigration sm;
  private final KubernetesClient client;
  private final Context<SchemaMigration> context;

  Runs(SchemaMigration sm, KubernetesClient client, Context<SchemaMigration> context) {
    this.sm = sm;
    this.client = client;
    this.context = context;
  }

  /**
   * How the run recorded as running ended, or empty while it still runs. A run whose pod is stuck
   * (missing Secret, image that cannot be pulled) is ended here: its Job is deleted rather than
   * left to wait for its deadline.
   */
  Optional<RunEnd> follow(RunRecord running, Instant now) {
    Job job = job(running.getJobName());
    if (job == null) {
      return Optional.of(
          RunEnd.failedWithoutResult(
              Reason.ResultMissing,
              "Job " + running.getJobName() + " is gone and its result with it"));
    }
    RunOutcome outcome = RunOutcomeReader.read(job, pods(running.getJobName()));
    if (outcome.state() == RunOutcome.State.RUNNING) {
      return Optional.empty();
    }
    if (outcome.isStuck()) {
      delete(job);
    }
    RunnerResult r = outcome.result();
    if (r == null) {
      return Optional.of(
          RunEnd.failedWithoutResult(
              outcome.reason() == null ? Reason.ResultMissing : outcome.reason(),
              Objects.requireNonNullElse(outcome.message(), "")));
    }
    boolean succeeded = outcome.state() == RunOutcome.State.SUCCEEDED;
    return Optional.of(
        new RunEnd(
            succeeded,
            succeeded ? null : outcome.reason(),
            succeeded ? warnings(r) : Objects.requireNonNullElse(outcome.message(), ""),
            r.stateKnown(),
            r.currentRevision(),
            r.headRevision(),
            r.targetRevision(),
            r.pending(),
            r.appliedCount(),
            r.durationMs() / 1000.0));
  }

  /** A successful run's message: its warnings (lint findings under {@code lint: Warn}, ...). */
  static String warnings(RunnerResult r) {
    List<String> w = r.warnings() == null ? List.of() : r.warnings();
    int count = w.size() + r.warningsOmitted();
    if (count == 0) {
      return "";
    }
    return count
        + (count == 1 ? " warning" : " warnings")
        + (w.isEmpty() ? "" : "; first: " + w.get(0));
  }

  /** A Job of this resource that has not finished, other than {@code name}. */
  Optional<Job> activeJobOtherThan(String name) {
    return context
        .getSecondaryResourcesAsStream(Job.class)
        .filter(j -> !name.equals(j.getMetadata().getName()))
        .filter(
            j ->
                j.getMetadata().getDeletionTimestamp() == null
                    || !pods(j.getMetadata().getName()).isEmpty())
        .filter(
            j -> !Jobs.isTerminal(j) || !Jobs.nothingRunning(j, pods(j.getMetadata().getName())))
        .findFirst();
  }

  /**
   * Creates the Job of {@code id}, or adopts it when it exists and is ours. The create goes first:
   * the Job usually does not exist, and when it does (a repeated reconciliation) the API server's
   * conflict answer says so in the same round trip.
   */
  Started createOrAdopt(JobIdentity id, Supplier<Job> build) {
    Optional<Job> cached = cachedJob(id.name());
    if (cached.isPresent()) {
      return id.adoptable(cached.get()) ? Started.ADOPTED : Started.FOREIGN;
    }
    try {
      client.batch().v1().jobs().inNamespace(namespace()).resource(build.get()).create();
      return Started.CREATED;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Job existing = job(id.name());
      return existing != null && id.adoptable(existing) ? Started.ADOPTED : Started.FOREIGN;
    }
  }

  private Optional<Job> cachedJob(String name) {
    return context
        .getSecondaryResourcesAsStream(Job.class)
        .filter(j -> name.equals(j.getMetadata().getName()))
        .findFirst();
  }

  private Job job(String name) {
    Optional<Job> cached = cachedJob(name);
    if (cached.isPresent()) {
      return cached.get();
    }
    // The informer may not have seen a Job created moments ago: ask the API before concluding.
    return client.batch().v1().jobs().inNamespace(namespace()).withName(name).get();
  }

  private List<Pod> pods(String jobName) {
    return context
        .getSecondaryResourcesAsStream(Pod.class)
        .filter(p -> Jobs.isPodOf(p, jobName))
        .toList();
  }

  private void delete(Job job) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace())
        .withName(job.getMetadata().getName())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
  }

  private String namespace() {
    return sm.getMetadata().getNamespace();
  }
}
