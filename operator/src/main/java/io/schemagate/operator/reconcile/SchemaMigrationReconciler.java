package io.schemagate.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import io.schemagate.operator.EventRecorder;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.job.JobIdentity;
import io.schemagate.operator.job.MigrationJobBuilder;
import io.schemagate.operator.job.RunCommand;
import io.schemagate.operator.job.RunRequest;
import io.schemagate.operator.spec.SpecValidator;
import io.schemagate.operator.spec.Violation;
import io.schemagate.operator.status.Conditions;
import io.schemagate.operator.status.RetryBackoff;
import io.schemagate.operator.status.StatusUpdates;
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

  /** How often a running Job is looked at even without an event (a missed watch event heals). */
  private static final Duration RUNNING_RESYNC = Duration.ofSeconds(30);

  /** How often a Conflict is re-checked: the owner's deletion does not trigger this resource. */
  private static final Duration CONFLICT_RESYNC = Duration.ofSeconds(60);

  private final OperatorSettings settings;
  private final Clock clock;
  private final EventRecorder events;

  public SchemaMigrationReconciler(OperatorSettings settings, Clock clock, EventRecorder events) {
    this.settings = settings;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public List<EventSource<?, SchemaMigration>> prepareEventSources(
      EventSourceContext<SchemaMigration> context) {
    String selector = SchemaGateApi.MANAGED_BY_LABEL + "=" + SchemaGateApi.MANAGED_BY;
    InformerEventSource<Job, SchemaMigration> jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, SchemaMigration.class)
                .withName("jobs")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationLabel())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    InformerEventSource<Pod, SchemaMigration> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, SchemaMigration.class)
                .withName("pods")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationLabel())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    return List.of(jobs, pods);
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      SecondaryToPrimaryMapper<R> byMigrationLabel() {
    return r -> {
      Map<String, String> labels = r.getMetadata().getLabels();
      String name = labels == null ? null : labels.get(SchemaGateApi.MIGRATION_LABEL);
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

    RunRecord last = status.getLastRun();
    if (last != null && RunPlanner.RUNNING.equals(last.getResult())) {
      Optional<RunEnd> end = runs.follow(last, now);
      if (end.isEmpty()) {
        return write(context, sm, before, status, RUNNING_RESYNC);
      }
      recordEnd(sm, status, last, end.get(), now);
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
      stall(sm, status, Reason.InvalidSpec, message, gen, now);
      return write(context, sm, before, status, null);
    }
    if (Boolean.TRUE.equals(sm.getSpec().getSuspend())) {
      StatusUpdates.suspended(status, gen, now);
      return write(context, sm, before, status, null);
    }
    Optional<SchemaMigration> owner =
        ConflictCheck.ownerOtherThan(sm, context.getPrimaryCache().list());
    if (owner.isPresent()) {
      DatabaseTarget target = DatabaseTarget.of(sm.getSpec().getDatabase());
      String message =
          "database "
              + target.database()
              + " schema "
              + target.schema()
              + " is migrated by SchemaMigration "
              + owner.get().getMetadata().getNamespace()
              + "/"
              + owner.get().getMetadata().getName();
      stall(sm, status, Reason.Conflict, message, gen, now);
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
      stall(sm, status, stalled.reason(), stalled.message(), gen, now);
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
      stall(
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
    RunRecord run = new RunRecord();
    run.setJobName(id.name());
    run.setAttempt(start.attempt());
    run.setImage(sm.getSpec().getBundle().getImage());
    run.setCommand(start.command());
    run.setStartTime(now.toString());
    run.setResult(RunPlanner.RUNNING);
    run.setReason(Reason.Migrating.name());
    StatusUpdates.runStarted(status, run, gen, now);
    if (started == Runs.Started.CREATED) {
      events.normal(
          sm,
          "MigrationStarted",
          "Job " + id.name() + " runs " + start.command() + " (attempt " + start.attempt() + ")");
      LOG.info("{}: created Job {} ({})", ref(sm), id.name(), start.command());
    }
    return write(context, sm, before, status, RUNNING_RESYNC);
  }

  private void recordEnd(
      SchemaMigration sm, SchemaMigrationStatus status, RunRecord last, RunEnd end, Instant now) {
    RunRecord done = copy(last);
    done.setCompletionTime(now.toString());
    Instant started = RunPlanner.parse(last.getStartTime());
    done.setDurationSeconds(
        end.durationSeconds() != null
            ? end.durationSeconds()
            : started == null ? null : Duration.between(started, now).toMillis() / 1000.0);
    done.setAppliedCount(end.appliedCount());
    done.setResult(end.succeeded() ? RunPlanner.SUCCEEDED : RunPlanner.FAILED);
    done.setReason(end.succeeded() ? Reason.AtHead.name() : end.reason().name());
    done.setMessage(end.message());
    StatusUpdates.runEnded(
        status,
        done,
        end.currentRevision(),
        end.headRevision(),
        end.targetRevision(),
        end.pending(),
        end.hadResult());
    if (end.succeeded()) {
      if (RunPlanner.MIGRATE.equals(done.getCommand())) {
        events.normal(
            sm,
            "MigrationSucceeded",
            "database at revision "
                + Objects.requireNonNullElse(end.currentRevision(), "(none)")
                + ", "
                + Objects.requireNonNullElse(end.appliedCount(), 0)
                + " applied in "
                + String.format(
                    java.util.Locale.ROOT,
                    "%.1f",
                    Objects.requireNonNullElse(done.getDurationSeconds(), 0.0))
                + " s"
                + (end.message().isEmpty() ? "" : "; " + end.message()));
      }
      return;
    }
    events.warning(sm, "MigrationFailed", end.reason() + ": " + end.message());
    if (end.reason().isTransient()) {
      RetryBackoff backoff = RetryBackoff.of(sm.getSpec().getRetry());
      int attempt = Objects.requireNonNullElse(done.getAttempt(), 1);
      if (backoff.mayRetry(attempt)) {
        status.setNextRetryTime(now.plus(backoff.delayAfter(attempt)).toString());
      }
    }
  }

  private void stall(
      SchemaMigration sm,
      SchemaMigrationStatus status,
      Reason reason,
      String message,
      long gen,
      Instant now) {
    var previous = Conditions.find(status.getConditions(), Conditions.STALLED);
    boolean news =
        previous == null
            || !"True".equals(previous.getStatus())
            || !reason.name().equals(previous.getReason())
            || !Objects.equals(previous.getObservedGeneration(), gen);
    StatusUpdates.stalled(status, reason, message, gen, now);
    // A failed run already had its MigrationFailed event; the stall itself is news only once.
    boolean runFailure =
        status.getLastRun() != null && reason.name().equals(status.getLastRun().getReason());
    if (news && !runFailure) {
      events.warning(sm, reason.name(), message);
    }
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

  private static SchemaMigration withStatus(SchemaMigration sm, SchemaMigrationStatus status) {
    SchemaMigration copy = new SchemaMigration();
    copy.setMetadata(sm.getMetadata());
    copy.setSpec(sm.getSpec());
    copy.setStatus(status);
    return copy;
  }

  private static RunRecord copy(RunRecord r) {
    RunRecord c = new RunRecord();
    c.setJobName(r.getJobName());
    c.setAttempt(r.getAttempt());
    c.setImage(r.getImage());
    c.setCommand(r.getCommand());
    c.setStartTime(r.getStartTime());
    c.setCompletionTime(r.getCompletionTime());
    c.setDurationSeconds(r.getDurationSeconds());
    c.setAppliedCount(r.getAppliedCount());
    c.setResult(r.getResult());
    c.setReason(r.getReason());
    c.setMessage(r.getMessage());
    return c;
  }

  static String ref(SchemaMigration sm) {
    return "SchemaMigration("
        + sm.getMetadata().getNamespace()
        + "/"
        + sm.getMetadata().getName()
        + ")";
  }
}
