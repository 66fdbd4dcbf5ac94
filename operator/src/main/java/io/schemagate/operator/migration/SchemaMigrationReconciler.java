package io.schemagate.operator.migration;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.kube.SafeText;
import io.schemagate.operator.migration.job.JobIdentity;
import io.schemagate.operator.migration.job.MigrationJobBuilder;
import io.schemagate.operator.migration.job.MigrationRef;
import io.schemagate.operator.migration.job.RunCommand;
import io.schemagate.operator.migration.job.RunRequest;
import io.schemagate.operator.migration.spec.SpecValidator;
import io.schemagate.operator.migration.spec.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a SchemaMigration's database to its target by running the runner in Jobs, one at a time,
 * and records what happened in status and Events. Decisions come from status (see {@link
 * RunPlanner}); Jobs are create-only and found again by their deterministic names.
 */
@ControllerConfiguration(name = SchemaMigrationReconciler.NAME)
public final class SchemaMigrationReconciler implements Reconciler<SchemaMigration> {
  public static final String NAME = "schemamigration";
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrationReconciler.class);

  /** Index of the SchemaMigration cache by {@link DatabaseTarget#key()}. */
  private static final String TARGET_INDEX = "database-target";

  /** How often a running Job is looked at even without an event (a missed watch event heals). */
  private static final Duration RUNNING_RESYNC = Duration.ofSeconds(30);

  /** How often a Conflict is re-checked: the owner's deletion does not trigger this resource. */
  private static final Duration CONFLICT_RESYNC = Duration.ofSeconds(60);

  private final OperatorSettings settings;
  private final Clock clock;
  private final RunRecorder recorder;
  private final UnknownFieldWarnings unknownFields;

  public SchemaMigrationReconciler(OperatorSettings settings, Clock clock, EventRecorder events) {
    this.settings = settings;
    this.clock = clock;
    this.recorder = new RunRecorder(events);
    this.unknownFields = new UnknownFieldWarnings(events);
  }

  @Override
  public List<EventSource<?, SchemaMigration>> prepareEventSources(
      EventSourceContext<SchemaMigration> context) {
    // Conflicts are looked up by target, not by scanning every SchemaMigration per reconciliation.
    context
        .getPrimaryCache()
        .addIndexer(
            TARGET_INDEX,
            sm -> {
              DatabaseTarget target = DatabaseTarget.of(sm);
              return target == null ? List.of() : List.of(target.key());
            });
    String selector = SchemaGateApi.MANAGED_BY_LABEL + "=" + SchemaGateApi.MANAGED_BY;
    InformerEventSource<Job, SchemaMigration> jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, SchemaMigration.class)
                .withName("jobs")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationRef())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    InformerEventSource<Pod, SchemaMigration> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, SchemaMigration.class)
                .withName("pods")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationRef())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    return List.of(jobs, pods);
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      SecondaryToPrimaryMapper<R> byMigrationRef() {
    return r -> {
      String name = MigrationRef.nameOf(r.getMetadata());
      return name == null ? Set.of() : Set.of(new ResourceID(name, r.getMetadata().getNamespace()));
    };
  }

  @Override
  public UpdateControl<SchemaMigration> reconcile(
      SchemaMigration sm, Context<SchemaMigration> context) {
    Instant now = clock.instant();
    long gen = Objects.requireNonNullElse(sm.getMetadata().getGeneration(), 1L);
    SchemaMigrationStatus before = sm.getStatus();
    SchemaMigrationStatus status = StatusUpdates.copy(before);
    Runs runs = new Runs(sm, context.getClient(), context);
    unknownFields.warnOnce(sm);

    RunRecord last = status.getLastRun();
    if (last != null && RunPlanner.RUNNING.equals(last.getResult())) {
      Optional<RunEnd> end = runs.follow(last, now);
      if (end.isEmpty()) {
        return write(context, sm, before, status, RUNNING_RESYNC);
      }
      recorder.ended(sm, status, last, end.get(), now);
    }

    List<Violation> violations = new ArrayList<>(SpecValidator.validate(sm));
    // An API server without the CRD's schema may hand over a resource without spec or bundle.
    if (violations.isEmpty() && !settings.imageAllowed(sm.getSpec().getBundle().getImage())) {
      violations.add(
          new Violation(
              "spec.bundle.image", "image is not under an allowed prefix of this operator"));
    }
    if (!violations.isEmpty()) {
      String message =
          violations.stream()
              .map(v -> v.field() + ": " + v.message())
              .collect(Collectors.joining("; "));
      recorder.stalled(sm, status, Reason.InvalidSpec, message, gen, now);
      return write(context, sm, before, status, null);
    }
    if (Boolean.TRUE.equals(sm.getSpec().getSuspend())) {
      StatusUpdates.suspended(status, gen, now);
      return write(context, sm, before, status, null);
    }
    DatabaseTarget target = DatabaseTarget.of(sm);
    Optional<SchemaMigration> owner =
        target == null
            ? Optional.empty()
            : ConflictCheck.ownerOtherThan(
                sm, context.getPrimaryCache().byIndex(TARGET_INDEX, target.key()).stream());
    if (owner.isPresent()) {
      String message =
          "database "
              + target.database()
              + " schema "
              + target.schema()
              + " is migrated by SchemaMigration "
              + owner.get().getMetadata().getNamespace()
              + "/"
              + owner.get().getMetadata().getName();
      recorder.stalled(sm, status, Reason.Conflict, message, gen, now);
      return write(context, sm, before, status, CONFLICT_RESYNC);
    }

    SchemaMigration planned = withStatus(sm, status);
    boolean inSeries = status.getLastRun() != null && inSeries(sm, status.getLastRun());
    RunPlan plan = RunPlanner.plan(planned, inSeries, now);
    if (plan instanceof RunPlan.Start start) {
      return startRun(context, sm, before, status, runs, start, gen, now);
    }
    if (plan instanceof RunPlan.WaitUntil wait) {
      RunRecord failed = status.getLastRun();
      StatusUpdates.retryScheduled(
          status,
          Reason.parse(failed.getReason()),
          Objects.requireNonNullElse(failed.getMessage(), ""),
          wait.when(),
          gen,
          now);
      Duration delay = Duration.between(now, wait.when());
      return write(context, sm, before, status, delay.isNegative() ? Duration.ZERO : delay);
    }
    if (plan instanceof RunPlan.Stalled stalled) {
      recorder.stalled(sm, status, stalled.reason(), stalled.message(), gen, now);
      return write(context, sm, before, status, null);
    }
    StatusUpdates.atTarget(status, gen, now);
    return write(context, sm, before, status, null);
  }

  private UpdateControl<SchemaMigration> startRun(
      Context<SchemaMigration> context,
      SchemaMigration sm,
      SchemaMigrationStatus before,
      SchemaMigrationStatus status,
      Runs runs,
      RunPlan.Start start,
      long gen,
      Instant now) {
    RunRequest request = new RunRequest(command(start.command()), start.attempt(), retryValue(sm));
    JobIdentity id = JobIdentity.of(sm, request);
    Optional<Job> other = runs.activeJobOtherThan(id.name());
    if (other.isPresent()) {
      // Never two at once: an earlier Job (e.g. of a generation whose record was lost) finishes
      // first.
      StatusUpdates.pending(
          status,
          "waiting for Job " + other.get().getMetadata().getName() + " to finish",
          gen,
          now);
      return write(context, sm, before, status, Duration.ofSeconds(10));
    }
    Runs.Started started = runs.createOrAdopt(id, () -> MigrationJobBuilder.build(sm, request));
    if (started == Runs.Started.FOREIGN) {
      recorder.stalled(
          sm,
          status,
          Reason.InternalError,
          "a Job named "
              + id.name()
              + " exists that this SchemaMigration did not create; delete it",
          gen,
          now);
      return write(context, sm, before, status, null);
    }
    recorder.started(sm, status, id.name(), start, started == Runs.Started.CREATED, gen, now);
    return write(context, sm, before, status, RUNNING_RESYNC);
  }

  /**
   * An exception ended the reconciliation: its reason and message reach the status ({@link
   * ReconcileFailure} decides them), based on the latest status this operator knows, with the same
   * write as every other status; JOSDK's retry then runs it again with backoff. A status write that
   * fails here too is only logged.
   */
  @Override
  public ErrorStatusUpdateControl<SchemaMigration> updateErrorStatus(
      SchemaMigration sm, Context<SchemaMigration> context, Exception e) {
    Optional<ReconcileFailure> failure = ReconcileFailure.of(e);
    if (failure.isEmpty()) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    // sm may hold a status whose write failed; the cache holds what was written last.
    SchemaMigration current =
        copyOf(context.getPrimaryCache().get(ResourceID.fromResource(sm)).orElse(sm));
    long gen = Objects.requireNonNullElse(current.getMetadata().getGeneration(), 1L);
    SchemaMigrationStatus before = current.getStatus();
    SchemaMigrationStatus status = StatusUpdates.copy(before);
    recorder.reconcileFailed(current, status, failure.get(), e, gen, clock.instant());
    try {
      write(context, current, before, status, null);
    } catch (StaleStatusException moved) {
      // The status moved on meanwhile; the reconciliation that follows reads it.
    } catch (RuntimeException writeFailed) {
      LOG.warn(
          "{}: could not write the status of the failed reconciliation: {}",
          ref(sm),
          SafeText.of(String.valueOf(writeFailed.getMessage())));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Writes status only when it changed: a full update of the status subresource with optimistic
   * locking, cached for the next reconciliation (read-your-writes), so a decision is never made on
   * a status older than the one this operator wrote. When the resource changed underneath, the
   * write is retried on the fresh copy only if its status is still the one this decision was based
   * on; otherwise the reconciliation fails and runs again on the new state.
   */
  private static UpdateControl<SchemaMigration> write(
      Context<SchemaMigration> context,
      SchemaMigration sm,
      SchemaMigrationStatus before,
      SchemaMigrationStatus after,
      Duration reschedule) {
    if (!Objects.equals(before, after)) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
          sm,
          context,
          fresh -> {
            if (!Objects.equals(fresh.getStatus(), before)) {
              throw new StaleStatusException(ref(sm));
            }
            fresh.setStatus(after);
            return fresh;
          });
    }
    UpdateControl<SchemaMigration> control = UpdateControl.noUpdate();
    return reschedule == null ? control : control.rescheduleAfter(reschedule);
  }

  /** The status changed since this reconciliation read it; it runs again on the new one. */
  static final class StaleStatusException extends RuntimeException {
    StaleStatusException(String resource) {
      super(resource + ": status changed while reconciling; reconciling again");
    }
  }

  private static boolean inSeries(SchemaMigration sm, RunRecord last) {
    if (last.getAttempt() == null || last.getAttempt() < 1 || last.getCommand() == null) {
      return false;
    }
    RunCommand command;
    try {
      command = command(last.getCommand());
    } catch (IllegalArgumentException e) {
      return false;
    }
    RunRequest request = new RunRequest(command, last.getAttempt(), retryValue(sm));
    return JobIdentity.of(sm, request).name().equals(last.getJobName());
  }

  static RunCommand command(String name) {
    for (RunCommand c : RunCommand.values()) {
      if (c.argument().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown runner command " + name);
  }

  private static String retryValue(SchemaMigration sm) {
    Map<String, String> annotations = sm.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(SchemaGateApi.RETRY_ANNOTATION);
  }

  /** A copy to write through, so that the cached resource is never changed in place. */
  private static SchemaMigration copyOf(SchemaMigration sm) {
    SchemaMigration copy = withStatus(sm, sm.getStatus());
    copy.setMetadata(new ObjectMetaBuilder(sm.getMetadata()).build());
    return copy;
  }

  private static SchemaMigration withStatus(SchemaMigration sm, SchemaMigrationStatus status) {
    SchemaMigration copy = new SchemaMigration();
    copy.setMetadata(sm.getMetadata());
    copy.setSpec(sm.getSpec());
    copy.setStatus(status);
    return copy;
  }

  static String ref(SchemaMigration sm) {
    return "SchemaMigration("
        + sm.getMetadata().getNamespace()
        + "/"
        + sm.getMetadata().getName()
        + ")";
  }
}
