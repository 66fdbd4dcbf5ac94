package io.schemagate.operator.migration.spec;

import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationSpec;
import io.schemagate.api.v1alpha1.UnreadableSpec;
import io.schemagate.api.v1alpha1.WithUnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of a SchemaMigration that this version of the API does not declare, by path ({@code
 * spec.targetRevison}): typos an API server without the CRD's schema let through, or fields of a
 * newer CRD. The operator ignores them; the user should hear so.
 */
public final class UnknownFields {
  private UnknownFields() {}

  /** Their paths, in the resource's order; empty when every field is known. */
  public static List<String> of(SchemaMigration sm) {
    List<String> paths = new ArrayList<>();
    add(paths, "", sm.getUnknownFields());
    SchemaMigrationSpec spec = sm.getSpec();
    // An unreadable spec is InvalidSpec; what else it holds is not looked at.
    if (spec == null || spec instanceof UnreadableSpec) {
      return paths;
    }
    add(paths, "spec.", spec);
    DatabaseSpec db = spec.getDatabase();
    add(paths, "spec.database.", db);
    add(paths, "spec.database.credentialsSecret.", db == null ? null : db.getCredentialsSecret());
    add(paths, "spec.bundle.", spec.getBundle());
    add(paths, "spec.retry.", spec.getRetry());
    add(paths, "spec.job.", spec.getJob());
    return paths;
  }

  private static void add(List<String> paths, String prefix, WithUnknownFields part) {
    if (part != null) {
      add(paths, prefix, part.getUnknownFields());
    }
  }

  private static void add(List<String> paths, String prefix, Map<String, Object> fields) {
    fields.keySet().forEach(name -> paths.add(prefix + name));
  }
}
