package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.schemagate.api.crd.SchemaMergePatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator knows of the database and of the runs that brought it there. */
// Conditions follow metav1.Condition (required fields, status values, reason format) and form a
// map keyed by type, so a server-side apply or a buggy writer cannot leave two Ready entries.
// The generator has no annotation for list types or item bounds; this merge patch is its
// supported way to add them.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        "{\"properties\":{"
            + "\"conditions\":{\"x-kubernetes-list-type\":\"map\","
            + "\"x-kubernetes-list-map-keys\":[\"type\"],\"items\":{"
            + "\"required\":[\"type\",\"status\",\"lastTransitionTime\",\"reason\",\"message\"],"
            + "\"properties\":{"
            + "\"type\":{\"minLength\":1,\"maxLength\":316},"
            + "\"status\":{\"enum\":[\"True\",\"False\",\"Unknown\"]},"
            + "\"reason\":{\"minLength\":1,\"maxLength\":1024,"
            + "\"pattern\":\"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\"},"
            + "\"message\":{\"maxLength\":32768},"
            + "\"lastTransitionTime\":{\"format\":\"date-time\"},"
            + "\"observedGeneration\":{\"minimum\":0}}}},"
            + "\"pendingMigrations\":{\"items\":{\"maxLength\":50}},"
            + "\"gatedDeployments\":{\"items\":{\"maxLength\":253}}"
            + "}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchemaMigrationStatus extends WithUnknownFields {
  @JsonPropertyDescription("The generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Suspended.")
  // A phase a newer operator wrote is read as none rather than failing the whole status.
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  private Phase phase;

  @Size(max = SpecLimits.REVISION_LENGTH)
  @JsonPropertyDescription("Revision the database is at; empty for an empty database.")
  private String currentRevision;

  @Size(max = SpecLimits.REVISION_LENGTH)
  @JsonPropertyDescription("Newest revision in the bundle.")
  private String headRevision;

  @Size(max = SpecLimits.REVISION_LENGTH)
  @JsonPropertyDescription("Revision the resource asks for (the head when spec leaves it empty).")
  private String targetRevision;

  @Size(max = SpecLimits.PENDING_MIGRATIONS)
  @JsonPropertyDescription("Versions not applied yet, oldest first; bounded.")
  private List<String> pendingMigrations = new ArrayList<>();

  @JsonPropertyDescription("The latest run.")
  private RunRecord lastRun;

  @Size(max = SpecLimits.HISTORY)
  @JsonPropertyDescription("The last 10 runs, newest first.")
  private List<RunRecord> history = new ArrayList<>();

  @Size(max = 64)
  @JsonPropertyDescription("When a transient failure will be retried (RFC 3339).")
  private String nextRetryTime;

  @Size(max = SpecLimits.GATED_DEPLOYMENTS)
  @JsonPropertyDescription("Deployments this resource currently holds paused.")
  private List<String> gatedDeployments = new ArrayList<>();

  @Size(max = SpecLimits.CONDITIONS)
  @JsonPropertyDescription(
      "Ready, Reconciling, Stalled (kstatus) and DeploymentsGated; one entry per type.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(String currentRevision) {
    this.currentRevision = currentRevision;
  }

  public String getHeadRevision() {
    return headRevision;
  }

  public void setHeadRevision(String headRevision) {
    this.headRevision = headRevision;
  }

  public String getTargetRevision() {
    return targetRevision;
  }

  public void setTargetRevision(String targetRevision) {
    this.targetRevision = targetRevision;
  }

  public List<String> getPendingMigrations() {
    return pendingMigrations;
  }

  public void setPendingMigrations(List<String> pendingMigrations) {
    this.pendingMigrations = pendingMigrations;
  }

  public RunRecord getLastRun() {
    return lastRun;
  }

  public void setLastRun(RunRecord lastRun) {
    this.lastRun = lastRun;
  }

  public List<RunRecord> getHistory() {
    return history;
  }

  public void setHistory(List<RunRecord> history) {
    this.history = history;
  }

  public String getNextRetryTime() {
    return nextRetryTime;
  }

  public void setNextRetryTime(String nextRetryTime) {
    this.nextRetryTime = nextRetryTime;
  }

  public List<String> getGatedDeployments() {
    return gatedDeployments;
  }

  public void setGatedDeployments(List<String> gatedDeployments) {
    this.gatedDeployments = gatedDeployments;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SchemaMigrationStatus s)) {
      return false;
    }
    return Objects.equals(observedGeneration, s.observedGeneration)
        && phase == s.phase
        && Objects.equals(currentRevision, s.currentRevision)
        && Objects.equals(headRevision, s.headRevision)
        && Objects.equals(targetRevision, s.targetRevision)
        && Objects.equals(pendingMigrations, s.pendingMigrations)
        && Objects.equals(lastRun, s.lastRun)
        && Objects.equals(history, s.history)
        && Objects.equals(nextRetryTime, s.nextRetryTime)
        && Objects.equals(gatedDeployments, s.gatedDeployments)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(getUnknownFields(), s.getUnknownFields());
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, currentRevision, lastRun, conditions);
  }
}
