package io.schemagate.operator.migration;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.gate.HeldDeployments;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.kube.SafeText;
import io.schemagate.operator.metrics.MigrationMetrics;
import io.schemagate.operator.migration.job.JobIdentity;
import io.schemagate.operator.migration.job.MigrationJobBuilder;
import io.schemagate.operator.migration.job.MigrationRef;
import io.schemagate.operator.migration.job.RunEvents;
import io.schemagate.operator.migration.job.RunRequest;
import io.schemagate.operator.migration.spec.SpecValidator;
import io.schemagate.operator.migration.spec.Violation;
import java.time.Clock;
import java.time.Duration;
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
  private final EventRecorder events;
  private final RunRecorder recorder;
  private final UnknownFieldWarnings unknownFields;
  private final StatusChanges changes;
  private final MigrationMetrics metrics;

  public SchemaMigrationReconciler(OperatorSettings settings, Clock clock, EventRecorder events) {
    this(settings, clock, events, null);
  }

  /**
   * @param metrics the per-SchemaMigration series, fed from this controller's cache and from the
   *     runs its status writes record as ended; null: none
   */
  public SchemaMigrationReconciler(
      OperatorSettings settings, Clock clock, EventRecorder events, MigrationMetrics metrics) {
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.recorder = new RunRecorder(events);
    this.unknownFields = new UnknownFieldWarnings(events);
    this.metrics = metrics;
    this.changes = new StatusChanges(metrics);
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
    if (metrics != null) {
      // Read at each scrape; empty until this replica leads and the informer runs.
      var cache = context.getPrimaryCache();
      metrics.observe(cache::list);
    }
    String selector = SchemaGateApi.MANAGED_BY_LABEL + "=" + SchemaGateApi.MANAGED_BY;
    InformerEventSource<Job, SchemaMigration> jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, SchemaMigration.class)
                .withName("jobs")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationRef())
                .withOnUpdateFilter(RunEvents::jobChanged)
                .withNamespacesInheritedFromController()
                .build(),
            context);
    InformerEventSource<Pod, SchemaMigration> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, SchemaMigration.class)
                .withName("pods")
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(byMigrationRef())
                .withOnUpdateFilter(RunEvents::podChanged)
                .withNamespacesInheritedFromController()
                .build(),
            context);
    // The gate's Deployments: which of them this resource holds is read from them for status.
    InformerEventSource<Deployment, SchemaMigration> deployments =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, SchemaMigration.class)
                .withName("deployments")
                .withLabelSelector(SchemaGateApi.GATE_LABEL)
                .withSecondaryToPrimaryMapper(
                    d ->
                        HeldDeployments.migrations(d).stream()
                            .map(name -> new ResourceID(name, d.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
                // A rollout's status updates do not change a hold.
                .withOnUpdateFilter(
                    (now, before) ->
                        HeldDeployments.paused(now) != HeldDeployments.paused(before)
                            || !Objects.equals(
                                HeldDeployments.pausedBy(now), HeldDeployments.pausedBy(before))
                            || !Objects.equals(
                                HeldDeployments.gate(now), HeldDeployments.gate(before)))
                .withNamespacesInheritedFromController()
                .build(),
            context);
    return List.of(jobs, pods, deployments);
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      SecondaryToPrimaryMapper<R> byMigrationRef() {
    return r -> {
      String name = MigrationRef.nameOf(r.getMetadata());
      return name == null ? Set.of() : Set.of(new ResourceID(name, r.getMetadata().getNamespace()));
    };
  }

  /** One reconciliation: the resource, its status being composed, its Jobs, and when. */
  private record Reconciliation(
      SchemaMigration sm,
      Context<SchemaMigration> context,
      StatusAggregator status,
      Runs runs,
      Stamp stamp) {
    SchemaMigrationStatus run() {
      return status.run();
    }
  }

  /**
   * When to look at the resource again without an event: {@code after} (null: only on the next
   * event).
   */
  private record Next(Duration after) {
    static final Next ON_EVENT = new Next(null);

    static Next in(Duration d) {
      return new Next(d.isNegative() ? Duration.ZERO : d);
    }
  }

  /**
   * Small steps in order, each of which may end the reconciliation: follow the run in progress,
   * check the spec, honour suspend, refuse a conflict, then start what the plan says. Whatever they
   * decided is written once, at the end.
   */
  @Override
  public UpdateControl<SchemaMigration> reconcile(
      SchemaMigration sm, Context<SchemaMigration> context) {
    unknownFields.warnOnce(sm);
    Reconciliation r =
        new Reconciliation(
            sm,
            context,
            new StatusAggregator(sm.getStatus()),
            new Runs(sm, context.getClient(), context),
            Stamp.of(sm, clock));
    Next next =
        followRun(r)
            .or(() -> checkSpec(r))
            .or(() -> checkSuspended(r))
            .or(() -> checkConflict(r))
            .orElseGet(() -> plan(r));
    List<String> held =
        HeldDeployments.of(
            sm.getMetadata().getName(), context.getSecondaryResources(Deployment.class));
    StatusUpdates.gated(r.run(), held, r.stamp());
    List<String> heldBefore = heldIn(sm.getStatus());
    SchemaMigrationStatus before = sm.getStatus();
    StatusWriter.write(context, sm, r.status())
        .ifPresent(written -> changes.written(sm, before, written.getStatus()));
    tellNewHolds(sm, heldBefore, held);
    UpdateControl<SchemaMigration> control = UpdateControl.noUpdate();
    return next.after() == null ? control : control.rescheduleAfter(next.after());
  }

  /**
   * An Event for each Deployment the written status lists as held that the status read did not:
   * from the status, so that a hold placed before this resource existed is told too, and each once.
   */
  private void tellNewHolds(SchemaMigration sm, List<String> before, List<String> held) {
    for (String name : held) {
      if (!before.contains(name)) {
        events.normal(
            sm,
            GateSignals.HELD,
            "holds Deployment " + name + " paused until its gate opens (status.gatedDeployments)");
      }
    }
  }

  private static List<String> heldIn(SchemaMigrationStatus status) {
    return status == null || status.getGatedDeployments() == null
        ? List.of()
        : List.copyOf(status.getGatedDeployments());
  }

  /** A run in progress is followed until it ends; its end is recorded and planning goes on. */
  private Optional<Next> followRun(Reconciliation r) {
    RunRecord last = r.run().getLastRun();
    if (last == null || last.getResult() != RunResult.Running) {
      return Optional.empty();
    }
    Optional<RunEnd> end = r.runs().follow(last, r.stamp().now());
    if (end.isEmpty()) {
      return Optional.of(Next.in(RUNNING_RESYNC));
    }
    recorder.ended(r.sm(), r.run(), end.get(), r.stamp().now());
    return Optional.empty();
  }

  private Optional<Next> checkSpec(Reconciliation r) {
    SchemaMigration sm = r.sm();
    List<Violation> violations = new ArrayList<>(SpecValidator.validate(sm));
    // An API server without the CRD's schema may hand over a resource without spec or bundle.
    if (violations.isEmpty()) {
      violations.addAll(imagesNotAllowed(sm));
    }
    if (violations.isEmpty()) {
      return Optional.empty();
    }
    String message =
        violations.stream()
            .map(v -> v.field() + ": " + v.message())
            .collect(Collectors.joining("; "));
    recorder.stalled(sm, r.run(), new RunPlan.Stalled(Reason.InvalidSpec, message), r.stamp());
    return Optional.of(Next.ON_EVENT);
  }

  /**
   * Every image the Job would run that the allow-list refuses: the bundle's and each sidecar's (a
   * sidecar runs in the same pod, so an allow-list of the bundle alone would be no limit).
   */
  private List<Violation> imagesNotAllowed(SchemaMigration sm) {
    List<Violation> refused = new ArrayList<>();
    String notAllowed = "image is not under an allowed prefix of this operator";
    if (!settings.imageAllowed(sm.getSpec().getBundle().getImage())) {
      refused.add(new Violation("spec.bundle.image", notAllowed));
    }
    var job = sm.getSpec().getJob();
    List<io.fabric8.kubernetes.api.model.Container> sidecars =
        job == null || job.getSidecars() == null ? List.of() : job.getSidecars();
    for (int i = 0; i < sidecars.size(); i++) {
      if (!settings.imageAllowed(sidecars.get(i).getImage())) {
        refused.add(new Violation("spec.job.sidecars[" + i + "].image", notAllowed));
      }
    }
    return refused;
  }

  private Optional<Next> checkSuspended(Reconciliation r) {
    if (!Boolean.TRUE.equals(r.sm().getSpec().getSuspend())) {
      return Optional.empty();
    }
    StatusUpdates.suspended(r.run(), r.stamp());
    return Optional.of(Next.ON_EVENT);
  }

  private Optional<Next> checkConflict(Reconciliation r) {
    SchemaMigration sm = r.sm();
    DatabaseTarget target = DatabaseTarget.of(sm);
    Optional<SchemaMigration> owner =
        target == null
            ? Optional.empty()
            : ConflictCheck.ownerOtherThan(
                sm, r.context().getPrimaryCache().byIndex(TARGET_INDEX, target.key()).stream());
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    String message =
        "database "
            + target.database()
            + " schema "
            + target.schema()
            + " is migrated by SchemaMigration "
            + owner.get().getMetadata().getNamespace()
            + "/"
            + owner.get().getMetadata().getName();
    recorder.stalled(sm, r.run(), new RunPlan.Stalled(Reason.Conflict, message), r.stamp());
    return Optional.of(Next.in(CONFLICT_RESYNC));
  }

  /** What {@link RunPlanner} says next, from the status as this reconciliation has left it. */
  private Next plan(Reconciliation r) {
    SchemaMigrationStatus status = r.run();
    boolean inSeries = status.getLastRun() != null && inSeries(r.sm(), status.getLastRun());
    RunPlan plan = RunPlanner.plan(withStatus(r.sm(), status), inSeries, r.stamp().now());
    if (plan instanceof RunPlan.Start start) {
      return startRun(r, start);
    }
    if (plan instanceof RunPlan.WaitUntil wait) {
      RunRecord failed = status.getLastRun();
      RunPlan.Stalled failure =
          new RunPlan.Stalled(
              Reason.parse(failed.getReason()),
              Objects.requireNonNullElse(failed.getMessage(), ""));
      StatusUpdates.retryScheduled(status, failure, wait.when(), r.stamp());
      return Next.in(Duration.between(r.stamp().now(), wait.when()));
    }
    if (plan instanceof RunPlan.Stalled stalled) {
      recorder.stalled(r.sm(), status, stalled, r.stamp());
      return Next.ON_EVENT;
    }
    StatusUpdates.atTarget(status, r.stamp());
    return Next.ON_EVENT;
  }

  private Next startRun(Reconciliation r, RunPlan.Start start) {
    SchemaMigration sm = r.sm();
    RunRequest request = new RunRequest(start.command(), start.attempt(), retryValue(sm));
    JobIdentity id = JobIdentity.of(sm, request);
    Optional<Job> other = r.runs().activeJobOtherThan(id.name());
    if (other.isPresent()) {
      // Never two at once: an earlier Job (e.g. of a generation whose record was lost) finishes
      // first.
      String message = "waiting for Job " + other.get().getMetadata().getName() + " to finish";
      StatusUpdates.pending(r.run(), message, r.stamp());
      return Next.in(Duration.ofSeconds(10));
    }
    Runs.Started started = r.runs().createOrAdopt(id, () -> MigrationJobBuilder.build(sm, request));
    if (started == Runs.Started.FOREIGN) {
      String message =
          "a Job named "
              + id.name()
              + " exists that this SchemaMigration did not create; delete it";
      recorder.stalled(sm, r.run(), new RunPlan.Stalled(Reason.InternalError, message), r.stamp());
      return Next.ON_EVENT;
    }
    recorder.started(
        sm,
        r.run(),
        new RunRecorder.StartedRun(id.name(), start, started == Runs.Started.CREATED),
        r.stamp());
    return Next.in(RUNNING_RESYNC);
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
    StatusAggregator status = new StatusAggregator(current.getStatus());
    recorder.reconcileFailed(current, status.run(), failure.get(), e, Stamp.of(current, clock));
    try {
      SchemaMigrationStatus before = current.getStatus();
      StatusWriter.write(context, current, status)
          .ifPresent(written -> changes.written(current, before, written.getStatus()));
    } catch (StatusWriter.StaleStatusException moved) {
      // The status moved on meanwhile; the reconciliation that follows reads it.
    } catch (RuntimeException writeFailed) {
      LOG.warn(
          "{}: could not write the status of the failed reconciliation: {}",
          ref(sm),
          SafeText.of(String.valueOf(writeFailed.getMessage())));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static boolean inSeries(SchemaMigration sm, RunRecord last) {
    if (last.getAttempt() == null || last.getAttempt() < 1 || last.getCommand() == null) {
      return false;
    }
    RunRequest request = new RunRequest(last.getCommand(), last.getAttempt(), retryValue(sm));
    return JobIdentity.of(sm, request).name().equals(last.getJobName());
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
