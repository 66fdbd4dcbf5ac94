package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunRecord;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.operator.kube.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusUpdatesTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void startedRunMakesResourceReconcilingAndNotReady() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.runStarted(s, run("orders-1", RunResult.Running), new Stamp(4, T0));

    assertThat(s.getPhase()).isEqualTo(Phase.Running);
    assertThat(s.getObservedGeneration()).isEqualTo(4);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("Migrating");
    assertThat(condition(s, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Stalled").getStatus()).isEqualTo("False");
    assertThat(s.getConditions()).allMatch(c -> c.getObservedGeneration() == 4);
    assertThat(s.getHistory()).extracting(RunRecord::getJobName).containsExactly("orders-1");
  }

  @Test
  void endedRunReplacesItsRunningEntryInHistoryNewestFirst() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.runStarted(s, run("orders-1", RunResult.Running), new Stamp(1, T0));
    StatusUpdates.runEnded(
        s, run("orders-1", RunResult.Succeeded), end("3", "3", "3", List.of(), true));
    StatusUpdates.runStarted(s, run("orders-2", RunResult.Running), new Stamp(2, T0));

    assertThat(s.getHistory())
        .extracting(RunRecord::getJobName, RunRecord::getResult)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("orders-2", RunResult.Running),
            org.assertj.core.groups.Tuple.tuple("orders-1", RunResult.Succeeded));
    assertThat(s.getCurrentRevision()).isEqualTo("3");
  }

  @Test
  void historyKeepsTheLastTenRuns() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    for (int i = 1; i <= 12; i++) {
      StatusUpdates.runStarted(s, run("orders-" + i, RunResult.Running), new Stamp(1, T0));
    }
    assertThat(s.getHistory()).hasSize(10);
    assertThat(s.getHistory().get(0).getJobName()).isEqualTo("orders-12");
    assertThat(s.getHistory().get(9).getJobName()).isEqualTo("orders-3");
  }

  @Test
  void runWithoutResultKeepsTheKnownRevisions() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.runEnded(
        s, run("a", RunResult.Succeeded), end("5", "7", "7", List.of("6", "7"), true));
    StatusUpdates.runEnded(s, run("b", RunResult.Failed), end(null, null, null, null, false));
    assertThat(s.getCurrentRevision()).isEqualTo("5");
    assertThat(s.getPendingMigrations()).containsExactly("6", "7");
  }

  @Test
  void resultThatNeverReadTheDatabaseMovesOnlyTheHead() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.runEnded(
        s, run("a", RunResult.Succeeded), end("5", "7", "7", List.of("6", "7"), true));
    // A configuration error: the runner read the bundle (head 8) but never the history.
    StatusUpdates.runEnded(s, run("b", RunResult.Failed), end(null, "8", "8", List.of(), false));
    assertThat(s.getCurrentRevision()).isEqualTo("5");
    assertThat(s.getPendingMigrations()).containsExactly("6", "7");
    assertThat(s.getHeadRevision()).isEqualTo("8");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.stalled(
        s, new RunPlan.Stalled(Reason.MigrationFailed, "V6 failed"), new Stamp(1, T0));
    String stalledSince = condition(s, "Stalled").getLastTransitionTime();

    StatusUpdates.stalled(
        s,
        new RunPlan.Stalled(Reason.MigrationFailed, "V6 failed again"),
        new Stamp(1, T0.plusSeconds(60)));
    assertThat(condition(s, "Stalled").getLastTransitionTime()).isEqualTo(stalledSince);
    assertThat(condition(s, "Stalled").getMessage()).isEqualTo("V6 failed again");

    StatusUpdates.atTarget(s, new Stamp(2, T0.plusSeconds(120)));
    assertThat(condition(s, "Stalled").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Stalled").getLastTransitionTime()).isEqualTo("2026-11-26T10:02:00Z");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("AtHead");
    assertThat(s.getPhase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void sameTransitionTwiceGivesAnEqualStatus() {
    SchemaMigrationStatus a = new SchemaMigrationStatus();
    StatusUpdates.atTarget(a, new Stamp(1, T0));
    SchemaMigrationStatus b = StatusUpdates.copy(a);
    StatusUpdates.atTarget(b, new Stamp(1, T0.plusSeconds(30)));
    assertThat(b).isEqualTo(a);
  }

  @Test
  void stalledConditionsCarryOnlyReasonsOfTheClosedSet() {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    StatusUpdates.retryScheduled(
        s,
        new RunPlan.Stalled(Reason.DatabaseUnreachable, "connection refused"),
        T0.plusSeconds(10),
        new Stamp(1, T0));
    assertThat(s.getConditions())
        .extracting(Condition::getReason)
        .allMatch(r -> Reason.parse(r) != null);
    assertThat(s.getNextRetryTime()).isEqualTo("2026-11-26T10:00:10Z");
    assertThat(s.getPhase()).isEqualTo(Phase.Pending);
  }

  @Test
  void backoffDoublesFromTheInitialDelayUpToTheCap() {
    RetryBackoff b = new RetryBackoff(5, Duration.ofSeconds(10), Duration.ofSeconds(45));
    assertThat(b.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(b.delayAfter(4)).isEqualTo(Duration.ofSeconds(45));
    assertThat(b.delayAfter(60)).isEqualTo(Duration.ofSeconds(45));
    assertThat(b.mayRetry(5)).isTrue();
    assertThat(b.mayRetry(6)).isFalse();
  }

  static RunRecord run(String job, RunResult result) {
    RunRecord r = new RunRecord();
    r.setJobName(job);
    r.setCommand(RunCommand.MIGRATE);
    r.setAttempt(1);
    r.setResult(result);
    return r;
  }

  /** How a run ended, as far as status is concerned: what the runner read of the database. */
  static RunEnd end(
      String current, String head, String target, List<String> pending, boolean known) {
    return new RunEnd(true, null, "", known, current, head, target, pending, null, null);
  }

  static Condition condition(SchemaMigrationStatus s, String type) {
    return Conditions.find(s.getConditions(), type);
  }
}
