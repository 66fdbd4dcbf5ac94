package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One run of the runner: the Job, what it was asked, how long it took and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunRecord extends WithUnknownFields {
  @Size(max = 63)
  @JsonPropertyDescription("Name of the run's Job.")
  private String jobName;

  @JsonPropertyDescription("Attempt number within the current generation, from 1.")
  private Integer attempt;

  @Size(max = SpecLimits.IMAGE_LENGTH)
  @JsonPropertyDescription("Bundle image the run used.")
  private String image;

  @JsonPropertyDescription("Runner command: migrate, info or baseline.")
  // A command or result a newer operator wrote is read as none rather than failing the status.
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  private RunCommand command;

  @Size(max = 64)
  @JsonPropertyDescription("When the Job was created (RFC 3339).")
  private String startTime;

  @Size(max = 64)
  @JsonPropertyDescription("When the run ended (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Run time in seconds.")
  private Double durationSeconds;

  @JsonPropertyDescription("Migrations the run applied.")
  private Integer appliedCount;

  @JsonPropertyDescription("Running, Succeeded or Failed.")
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  private RunResult result;

  @Size(max = 64)
  @JsonPropertyDescription("Reason of the outcome, one of the condition reasons.")
  private String reason;

  @Size(max = 4096)
  @JsonPropertyDescription("Short human-readable outcome; never contains a secret.")
  private String message;

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public RunCommand getCommand() {
    return command;
  }

  public void setCommand(RunCommand command) {
    this.command = command;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public Double getDurationSeconds() {
    return durationSeconds;
  }

  public void setDurationSeconds(Double durationSeconds) {
    this.durationSeconds = durationSeconds;
  }

  public Integer getAppliedCount() {
    return appliedCount;
  }

  public void setAppliedCount(Integer appliedCount) {
    this.appliedCount = appliedCount;
  }

  public RunResult getResult() {
    return result;
  }

  public void setResult(RunResult result) {
    this.result = result;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RunRecord r)) {
      return false;
    }
    return Objects.equals(jobName, r.jobName)
        && Objects.equals(attempt, r.attempt)
        && Objects.equals(image, r.image)
        && Objects.equals(command, r.command)
        && Objects.equals(startTime, r.startTime)
        && Objects.equals(completionTime, r.completionTime)
        && Objects.equals(durationSeconds, r.durationSeconds)
        && Objects.equals(appliedCount, r.appliedCount)
        && Objects.equals(result, r.result)
        && Objects.equals(reason, r.reason)
        && Objects.equals(message, r.message)
        && Objects.equals(getUnknownFields(), r.getUnknownFields());
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobName, attempt, startTime, result, reason);
  }
}
