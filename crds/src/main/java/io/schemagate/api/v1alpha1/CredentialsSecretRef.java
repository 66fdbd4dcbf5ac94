package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret in the SchemaMigration's namespace and the keys of the user name and password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef {
  @Required
  @JsonPropertyDescription("Name of the Secret, in the SchemaMigration's namespace.")
  private String name;

  @Default("username")
  @JsonPropertyDescription("Key of the database user name in the Secret.")
  private String usernameKey = "username";

  @Default("password")
  @JsonPropertyDescription("Key of the password in the Secret.")
  private String passwordKey = "password";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUsernameKey() {
    return usernameKey;
  }

  public void setUsernameKey(String usernameKey) {
    this.usernameKey = usernameKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }
}
