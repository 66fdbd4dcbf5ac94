package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What database to migrate, with which bundle, to which revision, and how to run it. */
// Malformed durations are reported on their own fields, not again here.
// A lock wait as long as the run's deadline ends as DeadlineExceeded (stalls) instead of
// LockTimeout (retried), so the lock timeout must leave the run time to fail and report.
@ValidationRule(
    value =
        "!has(self.database) || !self.database.lockTimeout.matches('"
            + Durations.PATTERN
            + "') || !self.timeout.matches('"
            + Durations.PATTERN
            + "') || duration(self.database.lockTimeout) < duration(self.timeout)",
    message = "must be shorter than spec.timeout",
    fieldPath = ".database.lockTimeout")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchemaMigrationSpec extends WithUnknownFields {
  @Required
  @JsonPropertyDescription("The PostgreSQL database to migrate.")
  private DatabaseSpec database;

  @Required
  @JsonPropertyDescription("The migration bundle: an image built FROM the schemagate runner.")
  private BundleSpec bundle;

  @Default("\"\"")
  @Size(max = SpecLimits.REVISION_LENGTH)
  @ValidationRule(value = SpecLimits.REVISION_RULE, message = SpecLimits.REVISION_MESSAGE)
  @JsonPropertyDescription(
      "Revision to reach; empty means the head of the bundle. A revision below the current one"
          + " is a downgrade and runs only with allowDowngrade.")
  private String targetRevision = "";

  @Default("false")
  @JsonPropertyDescription("Whether a target below the current revision runs undo scripts.")
  private Boolean allowDowngrade = false;

  @Default("\"\"")
  @Size(max = SpecLimits.REVISION_LENGTH)
  @ValidationRule(value = SpecLimits.REVISION_RULE, message = SpecLimits.REVISION_MESSAGE)
  @JsonPropertyDescription(
      "Adopt an existing database (for example one Alembic built) at this revision on the first"
          + " run, without running the migrations up to it.")
  private String baselineRevision = "";

  @Default("Enforce")
  @JsonPropertyDescription(
      "Lint pending migrations before applying: Enforce fails the run on lint errors, Warn"
          + " reports them, Off skips linting.")
  private LintMode lint = LintMode.Enforce;

  @Default("15m")
  @Size(max = SpecLimits.DURATION_LENGTH)
  @Pattern(Durations.PATTERN)
  @ValidationRule(
      value = "duration(self) >= duration('10s') && duration(self) <= duration('168h')",
      message = "must be between 10s and 168h")
  @JsonPropertyDescription("Deadline of one run (the Job's activeDeadlineSeconds), e.g. 15m.")
  private String timeout = "15m";

  @Default("{}")
  @JsonPropertyDescription("Retries of transient failures, with exponential backoff.")
  private RetrySpec retry = new RetrySpec();

  @Default("false")
  @JsonPropertyDescription("While true no new run starts; a running one finishes.")
  private Boolean suspend = false;

  @Default("{}")
  @JsonPropertyDescription("Pod settings of the migration Job.")
  private JobSpec job = new JobSpec();

  public DatabaseSpec getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseSpec database) {
    this.database = database;
  }

  public BundleSpec getBundle() {
    return bundle;
  }

  public void setBundle(BundleSpec bundle) {
    this.bundle = bundle;
  }

  public String getTargetRevision() {
    return targetRevision;
  }

  public void setTargetRevision(String targetRevision) {
    this.targetRevision = targetRevision;
  }

  public Boolean getAllowDowngrade() {
    return allowDowngrade;
  }

  public void setAllowDowngrade(Boolean allowDowngrade) {
    this.allowDowngrade = allowDowngrade;
  }

  public String getBaselineRevision() {
    return baselineRevision;
  }

  public void setBaselineRevision(String baselineRevision) {
    this.baselineRevision = baselineRevision;
  }

  public LintMode getLint() {
    return lint;
  }

  public void setLint(LintMode lint) {
    this.lint = lint;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public RetrySpec getRetry() {
    return retry;
  }

  public void setRetry(RetrySpec retry) {
    this.retry = retry;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public JobSpec getJob() {
    return job;
  }

  public void setJob(JobSpec job) {
    this.job = job;
  }
}
