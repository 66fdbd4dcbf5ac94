package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL database a SchemaMigration migrates; credentials come only from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {
  @Required
  @JsonPropertyDescription(
      "JDBC URL without credentials, e.g. jdbc:postgresql://orders-db:5432/orders.")
  private String url;

  @Required
  @JsonPropertyDescription("The Secret holding the user name and password.")
  private CredentialsSecretRef credentialsSecret;

  @JsonPropertyDescription(
      "Schemas the migrations manage; the history table lives in the first. Default: the"
          + " connection's default schema.")
  private List<String> schemas = new ArrayList<>();

  @Default("10s")
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
