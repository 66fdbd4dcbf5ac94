package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.schemagate.api.SchemaGateApi;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a migration Job and its pods name their SchemaMigration. The label {@code
 * schemagate.io/migration} holds the name when it fits a label value; a longer name (Kubernetes
 * accepts 253 characters, a label value holds 63) is cut to fit and ends in a hash of the whole
 * name, and the annotation {@code schemagate.io/migration-name} holds the whole name.
 */
public final class MigrationRef {
  static final int MAX_LABEL_VALUE_LENGTH = 63;

  private MigrationRef() {}

  /** The labels of a migration Job and its pods. */
  public static Map<String, String> labels(String resourceName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SchemaGateApi.MANAGED_BY_LABEL, SchemaGateApi.MANAGED_BY);
    labels.put(SchemaGateApi.MIGRATION_LABEL, labelValue(resourceName));
    return labels;
  }

  /** The annotations that name the SchemaMigration: none when the label holds the whole name. */
  public static Map<String, String> annotations(String resourceName) {
    return fitsALabel(resourceName)
        ? Map.of()
        : Map.of(SchemaGateApi.MIGRATION_NAME_ANNOTATION, resourceName);
  }

  /** The value of the label {@code schemagate.io/migration} for a SchemaMigration's name. */
  public static String labelValue(String resourceName) {
    if (fitsALabel(resourceName)) {
      return resourceName;
    }
    // A label value ends with a letter or digit; a name may hold dots and dashes anywhere.
    String cut =
        resourceName
            .substring(0, MAX_LABEL_VALUE_LENGTH - 1 - JobIdentity.HASH_LENGTH)
            .replaceAll("[-.]+$", "");
    return cut + "-" + JobIdentity.digest(resourceName);
  }

  /**
   * The name of the SchemaMigration a Job or pod belongs to, or null when it names none. The label
   * alone serves Jobs an earlier operator created, which never carry the annotation.
   */
  public static String nameOf(ObjectMeta meta) {
    Map<String, String> annotations = meta.getAnnotations();
    String full =
        annotations == null ? null : annotations.get(SchemaGateApi.MIGRATION_NAME_ANNOTATION);
    if (full != null) {
      return full;
    }
    Map<String, String> labels = meta.getLabels();
    return labels == null ? null : labels.get(SchemaGateApi.MIGRATION_LABEL);
  }

  private static boolean fitsALabel(String resourceName) {
    return resourceName.length() <= MAX_LABEL_VALUE_LENGTH;
  }
}
