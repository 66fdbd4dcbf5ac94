package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the SchemaMigration's namespace and the keys of the user name and password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef extends WithUnknownFields {
  @Required
  @Size(max = SpecLimits.NAME_LENGTH)
  @Pattern(SpecLimits.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the SchemaMigration's namespace.")
  private String name;

  @Default("username")
  @Size(min = 1, max = SpecLimits.NAME_LENGTH)
  @Pattern(SpecLimits.SECRET_KEY)
  @JsonPropertyDescription("Key of the database user name in the Secret.")
  private String usernameKey = "username";

  @Default("password")
  @Size(min = 1, max = SpecLimits.NAME_LENGTH)
  @Pattern(SpecLimits.SECRET_KEY)
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
