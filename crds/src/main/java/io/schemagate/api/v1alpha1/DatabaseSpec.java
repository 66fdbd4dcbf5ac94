package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.schemagate.api.crd.SchemaMergePatch;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL database a SchemaMigration migrates; credentials come only from a Secret. */
// Item bounds of a list cannot be annotated on the field; "set" rejects a schema named twice.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        "{\"properties\":{\"schemas\":{\"x-kubernetes-list-type\":\"set\","
            + "\"items\":{\"minLength\":1,\"maxLength\":63,\"pattern\":\"^[^,]+$\"}}}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec extends WithUnknownFields {
  @Required
  @Size(max = SpecLimits.URL_LENGTH)
  // Rules, not a pattern: the API server echoes a value that fails a pattern, and a URL that
  // fails these may hold a password.
  @ValidationRule(
      value = "self.startsWith('jdbc:postgresql://')",
      message = "must start with jdbc:postgresql://")
  @ValidationRule(
      value =
          "!self.startsWith('jdbc:postgresql://') || self.matches('^jdbc:postgresql://[^/?#@]+/[^/?#]+')",
      message = "must name a host and a database: jdbc:postgresql://HOST[:PORT]/DATABASE")
  @ValidationRule(
      value = "!self.matches('^jdbc:postgresql://[^/?#]*@')",
      message = "must not carry credentials (user:password@); use credentialsSecret")
  @ValidationRule(
      value = "!self.matches('(?i)[?&](user|password|sslpassword)=')",
      message = "must not carry credentials (user=, password= parameters); use credentialsSecret")
  @JsonPropertyDescription(
      "JDBC URL without credentials, e.g. jdbc:postgresql://orders-db:5432/orders.")
  private String url;

  @Required
  @JsonPropertyDescription("The Secret holding the user name and password.")
  private CredentialsSecretRef credentialsSecret;

  @Size(max = SpecLimits.SCHEMAS)
  @JsonPropertyDescription(
      "Schemas the migrations manage; the history table lives in the first. Default: the"
          + " connection's default schema.")
  private List<String> schemas = new ArrayList<>();

  @Default("10s")
  @Size(max = SpecLimits.DURATION_LENGTH)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) <= duration('1h')", message = "must be at most 1h")
  @JsonPropertyDescription(
      "PostgreSQL lock_timeout for transactional migration statements, e.g. 10s.")
  private String lockTimeout = "10s";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public CredentialsSecretRef getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(CredentialsSecretRef credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public List<String> getSchemas() {
    return schemas;
  }

  public void setSchemas(List<String> schemas) {
    this.schemas = schemas;
  }

  public String getLockTimeout() {
    return lockTimeout;
  }

  public void setLockTimeout(String lockTimeout) {
    this.lockTimeout = lockTimeout;
  }
}
