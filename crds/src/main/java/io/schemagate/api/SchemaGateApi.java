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

  private SchemaGateApi() {}
}
