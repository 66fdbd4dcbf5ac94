package io.schemagate.operator.migration.spec;

import static io.schemagate.api.SchemaGateApi.RESERVED_ENV_PREFIX;
import static io.schemagate.api.SchemaGateApi.RUNNER_CONTAINER;
import static io.schemagate.api.SchemaGateApi.TMP_PATH;
import static io.schemagate.api.SchemaGateApi.TMP_VOLUME;
import static io.schemagate.api.v1alpha1.SpecLimits.DNS_SUBDOMAIN;
import static io.schemagate.api.v1alpha1.SpecLimits.DURATION_LENGTH;
import static io.schemagate.api.v1alpha1.SpecLimits.IMAGE_LENGTH;
import static io.schemagate.api.v1alpha1.SpecLimits.JOB_ITEMS;
import static io.schemagate.api.v1alpha1.SpecLimits.NAME_LENGTH;
import static io.schemagate.api.v1alpha1.SpecLimits.PULL_SECRETS;
import static io.schemagate.api.v1alpha1.SpecLimits.REVISION_LENGTH;
import static io.schemagate.api.v1alpha1.SpecLimits.REVISION_MESSAGE;
import static io.schemagate.api.v1alpha1.SpecLimits.REVISION_PATTERN;
import static io.schemagate.api.v1alpha1.SpecLimits.SCHEMAS;
import static io.schemagate.api.v1alpha1.SpecLimits.SCHEMA_NAME_LENGTH;
import static io.schemagate.api.v1alpha1.SpecLimits.SECRET_KEY;
import static io.schemagate.api.v1alpha1.SpecLimits.URL_LENGTH;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.schemagate.api.v1alpha1.BundleSpec;
import io.schemagate.api.v1alpha1.CredentialsSecretRef;
import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.Durations;
import io.schemagate.api.v1alpha1.JobSpec;
import io.schemagate.api.v1alpha1.RetrySpec;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationSpec;
import io.schemagate.api.v1alpha1.UnreadableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The CRD's schema and CEL rules in plain Java, for API servers that enforce neither (the fabric8
 * mock server, a CRD installed without validation): a non-empty result is {@code InvalidSpec}.
 *
 * <p>A spec that could not be read at all ({@link UnreadableSpec}: a value of the wrong type) has
 * one violation, its first unreadable field.
 *
 * <p>Null optional fields pass: the API server would have filled them with their defaults, and the
 * Java types carry the same defaults. Field names and the rules match the CRD; {@code
 * SpecValidatorAgreementTest} checks both against the same examples.
 */
public final class SpecValidator {
  private static final String URL_PREFIX = "jdbc:postgresql://";
  private static final Pattern URL_HOST_AND_DATABASE =
      Pattern.compile("^jdbc:postgresql://[^/?#@]+/[^/?#]+");
  private static final Pattern URL_USERINFO = Pattern.compile("^jdbc:postgresql://[^/?#]*@");
  private static final Pattern URL_CREDENTIAL_PARAMETER =
      Pattern.compile("[?&](user|password|sslpassword)=", Pattern.CASE_INSENSITIVE);
  private static final Pattern REVISION = Pattern.compile(REVISION_PATTERN);
  private static final Pattern NAME = Pattern.compile(DNS_SUBDOMAIN);
  private static final Pattern KEY = Pattern.compile(SECRET_KEY);
  private static final Pattern NO_WHITESPACE = Pattern.compile("^\\S+$");
  private static final Pattern NO_COMMA = Pattern.compile("^[^,]+$");

  private final List<Violation> violations = new ArrayList<>();

  private SpecValidator() {}

  /** Every violation of the SchemaMigration's spec; empty when it is valid. */
  public static List<Violation> validate(SchemaMigration migration) {
    SpecValidator v = new SpecValidator();
    SchemaMigrationSpec spec = migration.getSpec();
    if (spec == null) {
      v.add("spec", "is required");
    } else if (spec instanceof UnreadableSpec unreadable) {
      v.add(unreadable.field(), unreadable.problem());
    } else {
      v.spec(spec);
    }
    return List.copyOf(v.violations);
  }

  private void spec(SchemaMigrationSpec spec) {
    if (spec.getDatabase() == null) {
      add("spec.database", "is required");
    } else {
      database(spec.getDatabase());
    }
    if (spec.getBundle() == null) {
      add("spec.bundle", "is required");
    } else {
      bundle(spec.getBundle());
    }
    revision("spec.targetRevision", spec.getTargetRevision());
    revision("spec.baselineRevision", spec.getBaselineRevision());
    duration("spec.timeout", spec.getTimeout(), Duration.ofSeconds(10), Duration.ofHours(168));
    if (spec.getRetry() != null) {
      retry(spec.getRetry());
    }
    if (spec.getJob() != null) {
      job(spec.getJob());
    }
    lockTimeoutShorterThanTimeout(spec);
  }

  private void database(DatabaseSpec db) {
    String url = db.getUrl();
    if (url == null) {
      add("spec.database.url", "is required");
    } else if (maxLength("spec.database.url", url, URL_LENGTH)) {
      // The messages never include the URL: it may hold the very password it must not hold.
      if (!url.startsWith(URL_PREFIX)) {
        add("spec.database.url", "must start with jdbc:postgresql://");
      } else if (!URL_HOST_AND_DATABASE.matcher(url).find()) {
        add(
            "spec.database.url",
            "must name a host and a database: jdbc:postgresql://HOST[:PORT]/DATABASE");
      }
      if (URL_USERINFO.matcher(url).find()) {
        add(
            "spec.database.url",
            "must not carry credentials (user:password@); use credentialsSecret");
      }
      if (URL_CREDENTIAL_PARAMETER.matcher(url).find()) {
        add(
            "spec.database.url",
            "must not carry credentials (user=, password= parameters); use credentialsSecret");
      }
    }
    CredentialsSecretRef secret = db.getCredentialsSecret();
    if (secret == null) {
      add("spec.database.credentialsSecret", "is required");
    } else {
      String field = "spec.database.credentialsSecret";
      if (secret.getName() == null) {
        add(field + ".name", "is required");
      } else {
        name(field + ".name", secret.getName());
      }
      secretKey(field + ".usernameKey", secret.getUsernameKey());
      secretKey(field + ".passwordKey", secret.getPasswordKey());
    }
    List<String> schemas = db.getSchemas();
    if (schemas != null && maxItems("spec.database.schemas", schemas, SCHEMAS)) {
      for (int i = 0; i < schemas.size(); i++) {
        String field = "spec.database.schemas[" + i + "]";
        String schema = schemas.get(i);
        if (schema == null || schema.isEmpty()) {
          add(field, "must not be empty");
        } else if (maxLength(field, schema, SCHEMA_NAME_LENGTH)
            && !NO_COMMA.matcher(schema).matches()) {
          add(field, "must not contain a comma");
        }
      }
      duplicates("spec.database.schemas", schemas, Function.identity());
    }
    duration("spec.database.lockTimeout", db.getLockTimeout(), Duration.ZERO, Duration.ofHours(1));
  }

  private void bundle(BundleSpec bundle) {
    String image = bundle.getImage();
    if (image == null) {
      add("spec.bundle.image", "is required");
    } else if (image.isEmpty()) {
      add("spec.bundle.image", "must not be empty");
    } else if (maxLength("spec.bundle.image", image, IMAGE_LENGTH)
        && !NO_WHITESPACE.matcher(image).matches()) {
      add("spec.bundle.image", "must not contain whitespace");
    }
    List<LocalObjectReference> secrets = bundle.getImagePullSecrets();
    if (secrets != null && maxItems("spec.bundle.imagePullSecrets", secrets, PULL_SECRETS)) {
      for (int i = 0; i < secrets.size(); i++) {
        String field = "spec.bundle.imagePullSecrets[" + i + "].name";
        String name = secrets.get(i) == null ? null : secrets.get(i).getName();
        if (name == null) {
          add(field, "is required");
        } else {
          maxLength(field, name, NAME_LENGTH);
        }
      }
    }
  }

  private void retry(RetrySpec retry) {
    Integer limit = retry.getLimit();
    if (limit != null && (limit < 0 || limit > 100)) {
      add("spec.retry.limit", "must be between 0 and 100");
    }
    duration(
        "spec.retry.initialDelay",
        retry.getInitialDelay(),
        Duration.ofSeconds(1),
        Duration.ofHours(1));
    duration("spec.retry.maxDelay", retry.getMaxDelay(), Duration.ZERO, Duration.ofHours(24));
    if (Durations.isValid(retry.getInitialDelay())
        && Durations.isValid(retry.getMaxDelay())
        && Durations.parse(retry.getMaxDelay()).compareTo(Durations.parse(retry.getInitialDelay()))
            < 0) {
      add("spec.retry.maxDelay", "must not be shorter than initialDelay");
    }
  }

  private void job(JobSpec job) {
    String account = job.getServiceAccountName();
    if (account != null
        && maxLength("spec.job.serviceAccountName", account, NAME_LENGTH)
        && !account.isEmpty()
        && !NAME.matcher(account).matches()) {
      add("spec.job.serviceAccountName", "must be empty or a Kubernetes object name");
    }
    maxProperties("spec.job.nodeSelector", job.getNodeSelector());
    maxProperties("spec.job.podAnnotations", job.getPodAnnotations());
    if (job.getTolerations() != null) {
      maxItems("spec.job.tolerations", job.getTolerations(), JOB_ITEMS);
    }
    env(job.getEnv());
    volumes(job.getVolumes());
    volumeMounts(job.getVolumeMounts(), job.getVolumes());
    sidecars(job.getSidecars());
    Integer ttl = job.getTtlSecondsAfterFinished();
    if (ttl != null && ttl < 0) {
      add("spec.job.ttlSecondsAfterFinished", "must not be negative");
    }
  }

  private void env(List<EnvVar> env) {
    if (env == null || !maxItems("spec.job.env", env, JOB_ITEMS)) {
      return;
    }
    boolean reserved = false;
    for (int i = 0; i < env.size(); i++) {
      String name = env.get(i).getName();
      if (keyName("spec.job.env[" + i + "].name", name, NAME_LENGTH)) {
        reserved |= name.startsWith(RESERVED_ENV_PREFIX);
      }
    }
    if (reserved) {
      add("spec.job.env", "names starting with SCHEMAGATE_ are the operator's");
    }
    duplicates("spec.job.env", env, EnvVar::getName);
  }

  private void volumes(List<Volume> volumes) {
    if (volumes == null || !maxItems("spec.job.volumes", volumes, JOB_ITEMS)) {
      return;
    }
    boolean reserved = false;
    for (int i = 0; i < volumes.size(); i++) {
      String name = volumes.get(i).getName();
      if (keyName("spec.job.volumes[" + i + "].name", name, 63)) {
        reserved |= name.equals(TMP_VOLUME);
      }
    }
    if (reserved) {
      add("spec.job.volumes", "the volume name tmp is the operator's");
    }
    duplicates("spec.job.volumes", volumes, Volume::getName);
  }

  private void volumeMounts(List<VolumeMount> mounts, List<Volume> volumes) {
    if (mounts == null || !maxItems("spec.job.volumeMounts", mounts, JOB_ITEMS)) {
      return;
    }
    boolean reserved = false;
    for (int i = 0; i < mounts.size(); i++) {
      String field = "spec.job.volumeMounts[" + i + "]";
      keyName(field + ".name", mounts.get(i).getName(), 63);
      String path = mounts.get(i).getMountPath();
      if (keyName(field + ".mountPath", path, 1024)) {
        reserved |= path.equals(TMP_PATH) || path.startsWith(TMP_PATH + "/");
      }
    }
    if (reserved) {
      add("spec.job.volumeMounts", "/tmp is the operator's");
    }
    duplicates("spec.job.volumeMounts", mounts, VolumeMount::getMountPath);
    Set<String> declared = new HashSet<>();
    if (volumes != null) {
      volumes.forEach(v -> declared.add(v.getName()));
    }
    if (!mounts.stream().allMatch(m -> declared.contains(m.getName()))) {
      add("spec.job.volumeMounts", "each volume mount must name one of job.volumes");
    }
  }

  private void sidecars(List<Container> sidecars) {
    if (sidecars == null || !maxItems("spec.job.sidecars", sidecars, JOB_ITEMS)) {
      return;
    }
    boolean reserved = false;
    for (int i = 0; i < sidecars.size(); i++) {
      String field = "spec.job.sidecars[" + i + "]";
      String name = sidecars.get(i).getName();
      if (keyName(field + ".name", name, 63)) {
        reserved |= name.equals(RUNNER_CONTAINER);
      }
      keyName(field + ".image", sidecars.get(i).getImage(), IMAGE_LENGTH);
    }
    if (reserved) {
      add("spec.job.sidecars", "the container name runner is the operator's");
    }
    duplicates("spec.job.sidecars", sidecars, Container::getName);
  }

  private void lockTimeoutShorterThanTimeout(SchemaMigrationSpec spec) {
    String lock = spec.getDatabase() == null ? null : spec.getDatabase().getLockTimeout();
    if (Durations.isValid(lock)
        && Durations.isValid(spec.getTimeout())
        && Durations.parse(lock).compareTo(Durations.parse(spec.getTimeout())) >= 0) {
      add("spec.database.lockTimeout", "must be shorter than spec.timeout");
    }
  }

  private void duration(String field, String text, Duration min, Duration max) {
    if (text == null || !maxLength(field, text, DURATION_LENGTH)) {
      return;
    }
    if (!Durations.isValid(text)) {
      add(field, "must be a duration such as 500ms, 10s, 5m or 1h30m");
      return;
    }
    Duration d = Durations.parse(text);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      add(
          field,
          min.isZero()
              ? "must be at most " + format(max)
              : "must be between " + format(min) + " and " + format(max));
    }
  }

  private static String format(Duration d) {
    return d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0
        ? d.toHours() + "h"
        : d.toSeconds() + "s";
  }

  private void revision(String field, String revision) {
    if (revision != null
        && maxLength(field, revision, REVISION_LENGTH)
        && !revision.isEmpty()
        && !REVISION.matcher(revision).matches()) {
      add(field, REVISION_MESSAGE);
    }
  }

  private void name(String field, String name) {
    if (maxLength(field, name, NAME_LENGTH) && !NAME.matcher(name).matches()) {
      add(field, "must be a Kubernetes object name");
    }
  }

  private void secretKey(String field, String key) {
    if (key == null) {
      return;
    }
    if (key.isEmpty()) {
      add(field, "must not be empty");
    } else if (maxLength(field, key, NAME_LENGTH) && !KEY.matcher(key).matches()) {
      add(field, "must be a Secret key: letters, digits, '-', '_' and '.'");
    }
  }

  /** A list-map key: required, not empty, bounded. Returns whether it is all three. */
  private boolean keyName(String field, String value, int max) {
    if (value == null) {
      add(field, "is required");
      return false;
    }
    if (value.isEmpty()) {
      add(field, "must not be empty");
      return false;
    }
    return maxLength(field, value, max);
  }

  private boolean maxLength(String field, String value, int max) {
    if (value.length() > max) {
      add(field, "must be at most " + max + " characters");
      return false;
    }
    return true;
  }

  private boolean maxItems(String field, List<?> list, int max) {
    if (list.size() > max) {
      add(field, "must have at most " + max + " items");
      return false;
    }
    return true;
  }

  private void maxProperties(String field, Map<?, ?> map) {
    if (map != null && map.size() > JOB_ITEMS) {
      add(field, "must have at most " + JOB_ITEMS + " entries");
    }
  }

  /** Like the API server on a list keyed by a field: the second occurrence of a key is named. */
  private <T> void duplicates(String field, List<T> list, Function<T, String> key) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String k = list.get(i) == null ? null : key.apply(list.get(i));
      if (k != null && !seen.add(k)) {
        add(field + "[" + i + "]", "duplicate entry");
      }
    }
  }

  private void add(String field, String message) {
    violations.add(new Violation(field, message));
  }
}
