package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.testkit.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void firstRunMigratesAsAttemptOne() {
    assertThat(RunPlanner.plan(resource(), false, NOW))
        .isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 1));
  }

  @Test
  void firstRunWithBaselineRevisionBaselinesThenMigratesUnderTheSameAttempt() {
    SchemaMigration sm = resource();
    sm.getSpec().setBaselineRevision("3");
    assertThat(RunPlanner.plan(sm, false, NOW))
        .isEqualTo(new RunPlan.Start(RunCommand.BASELINE, 1));

    withLastRun(sm, RunCommand.BASELINE, 1, RunResult.Succeeded, null);
    assertThat(RunPlanner.plan(sm, true, NOW)).isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 1));
  }

  @Test
  void baselineIsNotRepeatedOnceTheDatabaseHasARevision() {
    SchemaMigration sm = resource();
    sm.getSpec().setBaselineRevision("3");
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Succeeded, null);
    sm.getStatus().setCurrentRevision("5");
    // A new generation starts a new series: it migrates, it does not baseline again.
    assertThat(RunPlanner.plan(sm, false, NOW)).isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 1));
  }

  @Test
  void succeededMigrateOfTheSeriesIsAtTarget() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 2, RunResult.Succeeded, null);
    assertThat(RunPlanner.plan(sm, true, NOW)).isEqualTo(new RunPlan.AtTarget());
  }

  @Test
  void deterministicFailureStallsAtOnce() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.MigrationFailed);
    assertThat(RunPlanner.plan(sm, true, NOW))
        .isEqualTo(new RunPlan.Stalled(Reason.MigrationFailed, "boom"));
  }

  @Test
  void transientFailureWaitsForItsBackoffThenRetriesWithTheNextAttempt() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.DatabaseUnreachable);
    sm.getStatus().getLastRun().setCompletionTime("2026-11-26T09:59:55Z");

    assertThat(RunPlanner.plan(sm, true, NOW))
        .isEqualTo(new RunPlan.WaitUntil(Instant.parse("2026-11-26T10:00:05Z")));
    assertThat(RunPlanner.plan(sm, true, NOW.plusSeconds(5)))
        .isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 2));
  }

  @Test
  void recordedRetryTimeWinsOverTheComputedOne() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.LockTimeout);
    sm.getStatus().setNextRetryTime("2026-11-26T10:07:00Z");
    assertThat(RunPlanner.plan(sm, true, NOW))
        .isEqualTo(new RunPlan.WaitUntil(Instant.parse("2026-11-26T10:07:00Z")));
  }

  @Test
  void transientFailuresBeyondTheLimitAreRetriesExhausted() {
    SchemaMigration sm = resource();
    sm.getSpec().getRetry().setLimit(2);
    withLastRun(sm, RunCommand.MIGRATE, 3, RunResult.Failed, Reason.DatabaseUnreachable);
    RunPlan plan = RunPlanner.plan(sm, true, NOW);
    assertThat(plan).isInstanceOf(RunPlan.Stalled.class);
    RunPlan.Stalled stalled = (RunPlan.Stalled) plan;
    assertThat(stalled.reason()).isEqualTo(Reason.RetriesExhausted);
    assertThat(stalled.message()).contains("3 attempts", "DatabaseUnreachable", "boom");
  }

  @Test
  void limitZeroNeverRetries() {
    SchemaMigration sm = resource();
    sm.getSpec().getRetry().setLimit(0);
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.RunnerCrashed);
    assertThat(((RunPlan.Stalled) RunPlanner.plan(sm, true, NOW)).reason())
        .isEqualTo(Reason.RetriesExhausted);
  }

  @Test
  void lostResultIsLearnedWithInfoBeforeMigratingAgain() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.ResultMissing);
    sm.getStatus().getLastRun().setCompletionTime("2026-11-26T09:00:00Z");
    assertThat(RunPlanner.plan(sm, true, NOW)).isEqualTo(new RunPlan.Start(RunCommand.INFO, 2));

    withLastRun(sm, RunCommand.INFO, 2, RunResult.Succeeded, null);
    assertThat(RunPlanner.plan(sm, true, NOW)).isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 2));
  }

  @Test
  void aNewSeriesStartsOverEvenAfterAStall() {
    SchemaMigration sm = resource();
    withLastRun(sm, RunCommand.MIGRATE, 1, RunResult.Failed, Reason.MigrationFailed);
    assertThat(RunPlanner.plan(sm, false, NOW)).isEqualTo(new RunPlan.Start(RunCommand.MIGRATE, 1));
  }

  static SchemaMigration resource() {
    return Fixtures.migration(
        "shop",
        "orders",
        sm -> {
          sm.getMetadata().setGeneration(1L);
          sm.setStatus(new SchemaMigrationStatus());
        });
  }

  static void withLastRun(
      SchemaMigration sm, RunCommand command, int attempt, RunResult result, Reason reason) {
    RunRecord r = new RunRecord();
    r.setJobName("orders-abc");
    r.setCommand(command);
    r.setAttempt(attempt);
    r.setResult(result);
    r.setReason(reason == null ? null : reason.name());
    r.setMessage(reason == null ? null : "boom");
    sm.getStatus().setLastRun(r);
  }
}
