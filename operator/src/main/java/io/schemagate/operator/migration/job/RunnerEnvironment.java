package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.schemagate.api.v1alpha1.CredentialsSecretRef;
import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runner container's environment: the database URL, and the user name and password as
 * references into the credentials Secret, so the operator never reads a Secret's contents.
 */
final class RunnerEnvironment {
  static final String RESERVED_PREFIX = "SCHEMAGATE_";
  static final String URL = "SCHEMAGATE_URL";
  static final String USER = "SCHEMAGATE_USER";
  static final String PASSWORD = "SCHEMAGATE_PASSWORD";

  private static final CredentialsSecretRef SECRET_DEFAULTS = new CredentialsSecretRef();

  private RunnerEnvironment() {}

  static List<EnvVar> of(DatabaseSpec database, JobSpec job) {
    CredentialsSecretRef secret =
        Objects.requireNonNull(
            database.getCredentialsSecret(), "spec.database.credentialsSecret is required");
    String secretName = Objects.requireNonNull(secret.getName(), "credentialsSecret.name");
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName(URL).withValue(database.getUrl()).build());
    env.add(
        fromSecret(
            USER,
            secretName,
            orDefault(secret.getUsernameKey(), SECRET_DEFAULTS.getUsernameKey())));
    env.add(
        fromSecret(
            PASSWORD,
            secretName,
            orDefault(secret.getPasswordKey(), SECRET_DEFAULTS.getPasswordKey())));
    if (job != null && job.getEnv() != null) {
      // A user SCHEMAGATE_* variable would silently replace the operator's (the last one wins in
      // a container), so it is dropped here and reported by validation.
      job.getEnv().stream()
          .filter(e -> e.getName() == null || !e.getName().startsWith(RESERVED_PREFIX))
          .map(e -> new EnvVarBuilder(e).build())
          .forEach(env::add);
    }
    return env;
  }

  private static EnvVar fromSecret(String name, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secretName)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
