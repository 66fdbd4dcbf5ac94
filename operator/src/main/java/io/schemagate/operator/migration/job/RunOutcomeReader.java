package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.operator.kube.Jobs;
import io.schemagate.operator.kube.SafeText;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an attempt's outcome from its Job and the Job's pods, in the shapes the Job controller and
 * the kubelet write: Job conditions and counts, container states and the runner's termination
 * message. Never reads environment values or logs.
 */
public final class RunOutcomeReader {
  private static final Comparator<Pod> NEWEST_FIRST =
      Comparator.comparing(
              (Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(p -> Objects.requireNonNullElse(p.getMetadata().getName(), ""))
          .reversed();

  private RunOutcomeReader() {}

  /**
   * The outcome of {@code job}, given its pods (any order; the newest is the one that counts, as a
   * disrupted pod is replaced by a newer one).
   */
  public static RunOutcome read(Job job, List<Pod> pods) {
    List<Pod> all = pods == null ? List.of() : pods;
    Optional<Pod> pod = all.stream().min(NEWEST_FIRST);
    ContainerStateTerminated runner = pod.map(RunOutcomeReader::runnerTerminated).orElse(null);
    Optional<StartFailure> startFailure =
        runner == null ? pod.flatMap(StartFailure::of) : Optional.empty();
    boolean settled = Jobs.isTerminal(job) && Jobs.nothingRunning(job, all);

    Optional<JobCondition> failed = Jobs.trueCondition(job, "Failed", "FailureTarget");
    if (failed.isPresent()
        && runner == null
        && startFailure.isEmpty()
        && !Jobs.isTerminal(job)
        && pod.filter(p -> !Jobs.hasEnded(p)).isPresent()) {
      // The Job controller has decided the attempt fails (its deadline passed) and is stopping
      // the pod: the runner, on SIGTERM, still writes where it left the database. Wait for it.
      return RunOutcome.running();
    }
    if (failed.isPresent() || Jobs.count(job, JobStatus::getFailed) > 0) {
      if (startFailure.isPresent()) {
        // The pod never ran the runner; its start failure is why the Job ran out of time.
        return finished(startFailure.get().reason(), startFailure.get().message(), null, settled);
      }
      if (failed.isPresent() && "DeadlineExceeded".equals(failed.get().getReason())) {
        return finished(
            Reason.DeadlineExceeded,
            deadlineMessage(job),
            runner == null ? null : RunnerResultParser.parse(runner.getMessage()).orElse(null),
            settled);
      }
      String jobMessage = failed.map(RunOutcomeReader::describe).orElse("the Job failed");
      return fromRunner(runner, jobMessage, settled);
    }
    if (Jobs.trueCondition(job, "Complete", "SuccessCriteriaMet").isPresent()
        || Jobs.count(job, JobStatus::getSucceeded) > 0) {
      if (runner == null && !settled) {
        // The Job counts its pod succeeded, but the ended pod has not reached this cache yet
        // (two informers, two watches): its result comes with it, or the Job's Complete says
        // there is none.
        return RunOutcome.running();
      }
      return fromRunner(runner, "the Job completed", settled);
    }
    return startFailure.map(RunOutcome::stuck).orElseGet(RunOutcome::running);
  }

  private static RunOutcome fromRunner(
      ContainerStateTerminated runner, String jobMessage, boolean settled) {
    if (runner == null) {
      return finished(
          Reason.ResultMissing, SafeText.of(jobMessage + "; no runner result"), null, settled);
    }
    int exitCode = Objects.requireNonNullElse(runner.getExitCode(), -1);
    boolean killed = exitCode == 137 || exitCode == 143 || "OOMKilled".equals(runner.getReason());
    Optional<RunnerResult> parsed = RunnerResultParser.parse(runner.getMessage());
    if (parsed.isEmpty()) {
      return killed
          ? finished(
              Reason.RunnerCrashed, killedBefore(runner, "writing its result"), null, settled)
          : finished(
              Reason.ResultMissing,
              "the runner exited with code " + exitCode + " without a readable result",
              null,
              settled);
    }
    RunnerResult result = parsed.get();
    if (result.succeeded() && exitCode == 0) {
      return new RunOutcome(RunOutcome.State.SUCCEEDED, null, null, result, settled);
    }
    if (result.succeeded()) {
      // The work is done, but the process did not end cleanly; a retry is a cheap no-op.
      return finished(
          Reason.RunnerCrashed, killedBefore(runner, "exiting cleanly"), result, settled);
    }
    RunnerResult.RunnerError error = result.error();
    Reason reason = Reason.parse(error.reason());
    if (reason == null) {
      return finished(
          Reason.InternalError,
          SafeText.of("unknown runner reason " + error.reason() + ": " + error.message()),
          result,
          settled);
    }
    String message =
        error.message() == null || error.message().isEmpty() ? error.reason() : error.message();
    return finished(reason, message, result, settled);
  }

  private static String deadlineMessage(Job job) {
    Long seconds = job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
    return "the run took longer than its timeout" + (seconds == null ? "" : " of " + seconds + "s");
  }

  private static String killedBefore(ContainerStateTerminated runner, String what) {
    String how = runner.getReason() == null ? "" : runner.getReason() + ", ";
    return SafeText.of(
        "the runner was stopped ("
            + how
            + "exit code "
            + runner.getExitCode()
            + ") before "
            + what);
  }

  private static RunOutcome finished(
      Reason reason, String message, RunnerResult result, boolean settled) {
    return new RunOutcome(RunOutcome.State.FAILED, reason, message, result, settled);
  }

  private static ContainerStateTerminated runnerTerminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> SchemaGateApi.RUNNER_CONTAINER.equals(c.getName()))
        .map(ContainerStatus::getState)
        .filter(Objects::nonNull)
        .map(ContainerState::getTerminated)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static String describe(JobCondition condition) {
    String reason = condition.getReason() == null ? "" : " (" + condition.getReason() + ")";
    String message = condition.getMessage() == null ? "" : ": " + condition.getMessage();
    return "the Job failed" + reason + message;
  }
}
