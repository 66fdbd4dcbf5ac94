package io.schemagate.api.v1alpha1;

/** Bounds and formats of the SchemaMigration API, shared by the CRD schema and the operator. */
public final class SpecLimits {
  /** Kubernetes object names (DNS subdomains). */
  public static final int NAME_LENGTH = 253;

  /** Flyway's history table keeps versions in a VARCHAR(50). */
  public static final int REVISION_LENGTH = 50;

  public static final int DURATION_LENGTH = 32;
  public static final int URL_LENGTH = 2048;
  public static final int IMAGE_LENGTH = 512;
  public static final int SCHEMAS = 16;

  /** PostgreSQL truncates identifiers to 63 bytes. */
  public static final int SCHEMA_NAME_LENGTH = 63;

  public static final int PULL_SECRETS = 16;

  /** Entries of each job list (env, volumes, volume mounts, sidecars, tolerations) and map. */
  public static final int JOB_ITEMS = 64;

  public static final int PENDING_MIGRATIONS = 100;
  public static final int HISTORY = 10;
  public static final int GATED_DEPLOYMENTS = 100;
  public static final int CONDITIONS = 8;

  /** A Flyway version: dot- or underscore-separated numbers. */
  public static final String REVISION_PATTERN = "^[0-9]+([._][0-9]+)*$";

  public static final String REVISION_RULE =
      "self == '' || self.matches('" + REVISION_PATTERN + "')";
  public static final String REVISION_MESSAGE =
      "must be empty or a Flyway version such as 5 or 1.2.3";

  // [.] rather than an escaped dot: CEL rules embed this in a string literal, where \. is an
  // invalid escape that would make the API server refuse the CRD.
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** Keys of a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  private SpecLimits() {}
}
