package io.schemagate.operator.migration.spec;

/**
 * One way a SchemaMigration breaks its API: the field, as the API server names it ({@code
 * spec.job.env[2].name}), and a short message that never repeats a secret.
 */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
