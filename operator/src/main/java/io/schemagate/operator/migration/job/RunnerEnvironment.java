package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.schemagate.api.SchemaGateApi;
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
  private static final CredentialsSecretRef SECRET_DEFAULTS = new CredentialsSecretRef();

  private RunnerEnvironment() {}

  static List<EnvVar> of(DatabaseSpec database, JobSpec job) {
    CredentialsSecretRef secret =
        Objects.requireNonNull(
            database.getCredentialsSecret(), "spec.database.credentialsSecret is required");
    String secretName = Objects.requireNonNull(secret.getName(), "credentialsSecret.name");
    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder().withName(SchemaGateApi.URL_ENV).withValue(database.getUrl()).build());
    env.add(
        fromSecret(
            SchemaGateApi.USER_ENV,
            secretName,
            orDefault(secret.getUsernameKey(), SECRET_DEFAULTS.getUsernameKey())));
    env.add(
        fromSecret(
            SchemaGateApi.PASSWORD_ENV,
            secretName,
            orDefault(secret.getPasswordKey(), SECRET_DEFAULTS.getPasswordKey())));
    if (job != null && job.getEnv() != null) {
      // A user SCHEMAGATE_* variable would silently replace the operator's (the last one wins in
      // a container), so it is dropped here and reported by validation.
      job.getEnv().stream()
          .filter(
              e ->
                  e.getName() == null || !e.getName().startsWith(SchemaGateApi.RESERVED_ENV_PREFIX))
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
