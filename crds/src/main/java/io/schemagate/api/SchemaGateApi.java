package io.schemagate.api;

/** Names of the schemagate API that users, manifests and the operator share. */
public final class SchemaGateApi {
  public static final String GROUP = "schemagate.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "SchemaMigration";

  /** Label that opts a Deployment into the gate of the named SchemaMigration. */
  public static final String GATE_LABEL = GROUP + "/gate";

  /** Annotation whose new value re-runs a Stalled SchemaMigration. */
  public static final String RETRY_ANNOTATION = GROUP + "/retry";

  /** Annotation with a Deployment's minimum revision (Flyway version order). */
  public static final String REQUIRES_REVISION_ANNOTATION = GROUP + "/requires-revision";

  /** Annotation the operator sets on a Deployment it holds paused: the SchemaMigration's name. */
  public static final String PAUSED_BY_ANNOTATION = GROUP + "/paused-by";

  /** Break-glass annotation: "true" releases and ignores a Deployment's gate. */
  public static final String BYPASS_ANNOTATION = GROUP + "/bypass";

  /**
   * Label on migration Jobs and pods: the SchemaMigration's name, or for a name longer than a label
   * value (63 characters) its first characters and a hash of the whole name.
   */
  public static final String MIGRATION_LABEL = GROUP + "/migration";

  /**
   * Annotation on migration Jobs and pods of a SchemaMigration whose name is longer than a label
   * value: the whole name.
   */
  public static final String MIGRATION_NAME_ANNOTATION = GROUP + "/migration-name";

  /** Annotation on a migration Job: the hash of generation, retry value and attempt. */
  public static final String JOB_HASH_ANNOTATION = GROUP + "/job-hash";

  /** Standard managed-by label and the value on every object the operator creates. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY = "schemagate";

  /** The runner's container in a migration Job's pod; sidecars may not take its name. */
  public static final String RUNNER_CONTAINER = "runner";

  /** The emptyDir the operator mounts at {@link #TMP_PATH} (the root file system is read-only). */
  public static final String TMP_VOLUME = "tmp";

  public static final String TMP_PATH = "/tmp";

  /** Prefix of the runner's environment that the operator sets; users may not set such names. */
  public static final String RESERVED_ENV_PREFIX = "SCHEMAGATE_";

  /** The runner's environment: database URL, user and password (from the credentials Secret). */
  public static final String URL_ENV = RESERVED_ENV_PREFIX + "URL";

  public static final String USER_ENV = RESERVED_ENV_PREFIX + "USER";
  public static final String PASSWORD_ENV = RESERVED_ENV_PREFIX + "PASSWORD";

  private SchemaGateApi() {}
}
