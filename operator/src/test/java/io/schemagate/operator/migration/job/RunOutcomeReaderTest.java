package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.operator.migration.job.RunOutcome.State;
import io.schemagate.testkit.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunOutcomeReaderTest {

  private static RunOutcome read(String job, String... pods) {
    List<Pod> list =
        Arrays.stream(pods).map(p -> Fixtures.recorded(p + ".yaml", Pod.class)).toList();
    return RunOutcomeReader.read(Fixtures.recorded(job + ".yaml", Job.class), list);
  }

  @Test
  void completedJobWithSucceededResultIsSuccess() {
    RunOutcome outcome = read("job-complete", "pod-succeeded");

    assertThat(outcome.state()).isEqualTo(State.SUCCEEDED);
    assertThat(outcome.reason()).isNull();
    assertThat(outcome.settled()).isTrue();
    RunnerResult result = outcome.result();
    assertThat(result.command()).isEqualTo("migrate");
    assertThat(result.currentRevision()).isEqualTo("5");
    assertThat(result.headRevision()).isEqualTo("5");
    assertThat(result.targetRevision()).isEqualTo("5");
    assertThat(result.appliedCount()).isEqualTo(2);
    assertThat(result.pendingCount()).isZero();
    assertThat(result.pending()).isEmpty();
    assertThat(result.durationMs()).isEqualTo(812L);
    assertThat(result.error()).isNull();
  }

  @Test
  void failedMigrationReportsTheRunnersReasonAndWhere() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-migration-failed");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.MigrationFailed);
    assertThat(outcome.reason().isTransient()).isFalse();
    assertThat(outcome.message())
        .isEqualTo("V6__add_invoices.sql line 12: ERROR: relation \"customer\" does not exist");
    assertThat(outcome.settled()).isTrue();
    RunnerResult.RunnerError error = outcome.result().error();
    assertThat(error.version()).isEqualTo("6");
    assertThat(error.file()).isEqualTo("V6__add_invoices.sql");
    assertThat(error.line()).isEqualTo(12);
    assertThat(error.sqlState()).isEqualTo("42P01");
    assertThat(error.partial()).isFalse();
    assertThat(outcome.result().currentRevision()).isEqualTo("5");
    assertThat(outcome.result().pending()).containsExactly("6", "7");
  }

  @Test
  void partialFailureIsKept() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-partial-migration");

    assertThat(outcome.reason()).isEqualTo(Reason.MigrationFailed);
    assertThat(outcome.result().error().partial()).isTrue();
    assertThat(outcome.result().error().sqlState()).isEqualTo("23505");
  }

  @ParameterizedTest
  @CsvSource({
    "pod-lock-timeout, LockTimeout, true",
    "pod-database-unreachable, DatabaseUnreachable, true",
    "pod-authentication-failed, AuthenticationFailed, false",
    "pod-configuration-invalid, ConfigurationInvalid, false"
  })
  void runnerReasonsKeepTheirClassification(String pod, Reason reason, boolean transientFailure) {
    RunOutcome outcome = read("job-failed-pod-failure-policy", pod);

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(reason);
    assertThat(outcome.reason().isTransient()).isEqualTo(transientFailure);
  }

  @Test
  void credentialsInAUrlNeverReachTheMessage() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-database-unreachable");

    assertThat(outcome.message())
        .doesNotContain("hunter2")
        .doesNotContain("migrator:")
        .contains("jdbc:postgresql://orders-db:5432/orders?sslmode=require&password=***")
        .contains("Connection refused");
  }

  @Test
  void truncatedResultKeepsWhatWasCutAndIgnoresUnknownFields() {
    RunOutcome outcome = read("job-complete", "pod-truncated-result");

    assertThat(outcome.state()).isEqualTo(State.SUCCEEDED);
    RunnerResult result = outcome.result();
    assertThat(result.command()).isEqualTo("info");
    assertThat(result.pendingCount()).isEqualTo(45);
    assertThat(result.pending()).hasSize(20).startsWith("6", "7").endsWith("25");
    assertThat(result.pendingOmitted()).isEqualTo(25);
    assertThat(result.futureOmitted()).isZero();
    assertThat(result.warnings()).singleElement().asString().contains("51, 52");
  }

  @Test
  void oomKilledRunnerWithoutResultCrashed() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-oom-killed");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.RunnerCrashed);
    assertThat(outcome.reason().isTransient()).isTrue();
    assertThat(outcome.message()).contains("OOMKilled").contains("137");
    assertThat(outcome.result()).isNull();
  }

  @Test
  void terminatedRunnerWithoutResultCrashed() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-sigterm-no-result");

    assertThat(outcome.reason()).isEqualTo(Reason.RunnerCrashed);
    assertThat(outcome.message()).contains("143");
  }

  @Test
  void garbageTerminationMessageIsResultMissing() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-garbage-message");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.ResultMissing);
    assertThat(outcome.message()).contains("exit").contains("70").doesNotContain("Exception");
    assertThat(outcome.result()).isNull();
  }

  @Test
  void cutTerminationMessageIsResultMissing() {
    RunOutcome outcome = read("job-failed-pod-failure-policy", "pod-cut-message");

    assertThat(outcome.reason()).isEqualTo(Reason.ResultMissing);
  }

  @Test
  void completedJobWithoutResultIsResultMissing() {
    RunOutcome outcome = read("job-complete", "pod-exit-zero-no-result");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.ResultMissing);
    assertThat(outcome.settled()).isTrue();
  }

  @Test
  void aSucceededJobWhoseEndedPodIsNotInTheCacheYetIsStillRunning() {
    Job succeeded = Fixtures.recorded("job-complete.yaml", Job.class);
    succeeded.getStatus().getConditions().removeIf(c -> c.getType().equals("Complete"));
    Pod running = Fixtures.recorded("pod-running.yaml", Pod.class);

    assertThat(RunOutcomeReader.read(succeeded, List.of(running)).state())
        .as("the pod's end is on its way")
        .isEqualTo(State.RUNNING);
    assertThat(RunOutcomeReader.read(succeeded, List.of()).state()).isEqualTo(State.RUNNING);
    // Once the Job is Complete, a result that is still not there is missing.
    assertThat(read("job-complete").reason()).isEqualTo(Reason.ResultMissing);
  }

  @Test
  void failedJobWhosePodIsGoneIsResultMissingWithTheJobsWords() {
    RunOutcome outcome = read("job-backoff-limit-exceeded");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.ResultMissing);
    assertThat(outcome.message()).contains("BackoffLimitExceeded");
    assertThat(outcome.settled()).isTrue();
  }

  @Test
  void deadlineExceededWinsOverTheResultWrittenOnSigterm() {
    RunOutcome outcome = read("job-deadline-exceeded", "pod-deadline-killed");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.DeadlineExceeded);
    assertThat(outcome.reason().isTransient()).isFalse();
    assertThat(outcome.message()).isEqualTo("the run took longer than its timeout of 900s");
    assertThat(outcome.result().currentRevision()).isEqualTo("5");
    assertThat(outcome.result().error().sqlState()).isEqualTo("57014");
  }

  @Test
  void deadlineDecidedWhileTheRunnerStillStopsWaitsForItsResult() {
    Job job = Fixtures.job("job-deadline-exceeded.yaml");
    job.getStatus().getConditions().removeIf(c -> "Failed".equals(c.getType()));

    RunOutcome outcome = RunOutcomeReader.read(job, List.of(Fixtures.pod("pod-running.yaml")));

    assertThat(outcome.state())
        .as("the runner writes its result on SIGTERM; the attempt is not over before it did")
        .isEqualTo(State.RUNNING);
  }

  @Test
  void deadlineExceededAfterThePodWasDeleted() {
    RunOutcome outcome = read("job-deadline-exceeded");

    assertThat(outcome.reason()).isEqualTo(Reason.DeadlineExceeded);
    assertThat(outcome.result()).isNull();
    assertThat(outcome.settled()).isTrue();
  }

  @Test
  void podThatNeverStartedExplainsTheDeadline() {
    RunOutcome outcome = read("job-deadline-exceeded", "pod-image-pull-backoff");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.ImagePullFailed);
  }

  @ParameterizedTest
  @CsvSource({
    "pod-secret-not-found, SecretNotFound, secret \"orders-db\" not found",
    "pod-secret-key-missing, SecretNotFound, couldn't find key pass in Secret shop/orders-db",
    "pod-err-image-pull, ImagePullFailed, ErrImagePull",
    "pod-image-pull-backoff, ImagePullFailed, ImagePullBackOff",
    "pod-invalid-image-name, ImagePullFailed, InvalidImageName",
    "pod-sidecar-image-pull, ImagePullFailed, container cloud-sql-proxy"
  })
  void podThatCannotStartIsAStuckAttempt(String pod, Reason reason, String inMessage) {
    RunOutcome outcome = read("job-active", pod);

    assertThat(outcome.state()).isEqualTo(State.STUCK);
    assertThat(outcome.isStuck()).isTrue();
    assertThat(outcome.isFinished()).isFalse();
    assertThat(outcome.reason()).isEqualTo(reason);
    assertThat(outcome.reason().isTransient()).isTrue();
    assertThat(outcome.message()).contains(inMessage).hasSizeLessThanOrEqualTo(300);
    assertThat(outcome.settled()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"pod-running", "pod-container-creating", "pod-configmap-missing"})
  void podOnItsWayIsRunning(String pod) {
    RunOutcome outcome = read("job-active", pod);

    assertThat(outcome.state()).isEqualTo(State.RUNNING);
    assertThat(outcome.reason()).isNull();
    assertThat(outcome.settled()).isFalse();
  }

  @Test
  void jobWithoutPodsYetIsRunning() {
    assertThat(read("job-active").state()).isEqualTo(State.RUNNING);
  }

  @Test
  void disruptedPodIsReplacedNotCountedAsTheOutcome() {
    RunOutcome running = read("job-active", "pod-disrupted", "pod-replacement-pending");
    RunOutcome done = read("job-complete", "pod-replacement-succeeded", "pod-disrupted");

    assertThat(running.state()).isEqualTo(State.RUNNING);
    assertThat(done.state()).isEqualTo(State.SUCCEEDED);
    assertThat(done.result().appliedCount()).isEqualTo(2);
  }

  @Test
  void failureDecidedWhilePodStillTerminatesIsNotSettled() {
    RunOutcome outcome =
        read("job-failure-target-terminating", "pod-migration-failed", "pod-terminating");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.settled()).isFalse();
  }

  @Test
  void failureDecidedBeforeTheFailedConditionIsNotSettled() {
    RunOutcome outcome = read("job-failure-target-terminating", "pod-migration-failed");

    assertThat(outcome.reason()).isEqualTo(Reason.MigrationFailed);
    assertThat(outcome.settled()).as("Job status still counts a terminating pod").isFalse();
  }

  private static RunOutcome readWithMessage(String job, String pod, int exitCode, String message) {
    Pod p = Fixtures.recorded(pod + ".yaml", Pod.class);
    var terminated = p.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    terminated.setExitCode(exitCode);
    terminated.setMessage(message);
    return RunOutcomeReader.read(Fixtures.recorded(job + ".yaml", Job.class), List.of(p));
  }

  @Test
  void successReportedButProcessKilledIsACrash() {
    RunOutcome outcome =
        readWithMessage(
            "job-failed-pod-failure-policy",
            "pod-migration-failed",
            137,
            "{\"command\":\"migrate\",\"status\":\"Succeeded\",\"currentRevision\":\"7\"}");

    assertThat(outcome.state()).isEqualTo(State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.RunnerCrashed);
    assertThat(outcome.result().currentRevision()).isEqualTo("7");
  }

  @Test
  void reasonUnknownToTheOperatorIsAnInternalError() {
    RunOutcome outcome =
        readWithMessage(
            "job-failed-pod-failure-policy",
            "pod-migration-failed",
            71,
            "{\"status\":\"Failed\",\"error\":{\"reason\":\"QuantumFlux\",\"message\":\"m\"}}");

    assertThat(outcome.reason()).isEqualTo(Reason.InternalError);
    assertThat(outcome.message()).contains("QuantumFlux");
  }

  @Test
  void jobWithoutStatusIsRunning() {
    Job job = Fixtures.recorded("job-active.yaml", Job.class);
    job.setStatus(null);

    assertThat(RunOutcomeReader.read(job, List.of()).state()).isEqualTo(State.RUNNING);
  }
}
