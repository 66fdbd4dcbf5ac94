package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A spec that cannot be read as a {@link SchemaMigrationSpec} (a value of the wrong type, an enum
 * value in the wrong case): the JSON as it was, written back unchanged, and the first field that
 * could not be read. The operator reports it as InvalidSpec instead of failing every resource it
 * lists with it.
 */
public final class UnreadableSpec extends SchemaMigrationSpec {
  private final JsonNode json;
  private final String field;
  private final String problem;

  UnreadableSpec(JsonNode json, String field, String problem) {
    this.json = json;
    this.field = field;
    this.problem = problem;
    // Nothing of it was read: no defaults stand in for what the user wrote.
    setTargetRevision(null);
    setAllowDowngrade(null);
    setBaselineRevision(null);
    setLint(null);
    setTimeout(null);
    setRetry(null);
    setSuspend(null);
    setJob(null);
  }

  /** The spec as the API server holds it; what a write of this resource sends back. */
  @JsonValue
  public JsonNode json() {
    return json;
  }

  /** The path of the field that could not be read, e.g. {@code spec.retry.limit}. */
  public String field() {
    return field;
  }

  /** What is wrong with it, e.g. {@code must be an integer}; never the value itself. */
  public String problem() {
    return problem;
  }
}
