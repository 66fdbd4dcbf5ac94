package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The name and hash of the Job for one attempt, computed without building it, and the check a Job
 * found under that name must pass before the reconciler treats it as its own.
 */
public record JobIdentity(String name, String hash, String ownerUid) {
  static final int MAX_NAME_LENGTH = 63;
  static final int HASH_LENGTH = 10;

  /** The identity of the Job that runs {@code request} for {@code migration}. */
  public static JobIdentity of(SchemaMigration migration, RunRequest request) {
    ObjectMeta meta = migration.getMetadata();
    String resourceName = Objects.requireNonNull(meta.getName(), "metadata.name");
    Long generation = Objects.requireNonNull(meta.getGeneration(), "metadata.generation");
    String uid = Objects.requireNonNull(meta.getUid(), "metadata.uid");
    String hash = hash(resourceName, generation, request);
    return new JobIdentity(namePrefix(resourceName) + "-" + hash, hash, uid);
  }

  /**
   * Whether {@code job} is the Job of this identity: same name, same hash annotation, and
   * controlled by the same SchemaMigration (a resource deleted and re-created under the same name
   * gets a new UID, and its predecessor's Job must not be mistaken for its own).
   */
  public boolean adoptable(Job job) {
    if (job == null || job.getMetadata() == null) {
      return false;
    }
    ObjectMeta meta = job.getMetadata();
    Map<String, String> annotations = meta.getAnnotations();
    boolean sameHash =
        annotations != null && hash.equals(annotations.get(SchemaGateApi.JOB_HASH_ANNOTATION));
    return name.equals(meta.getName()) && sameHash && controlledByOwner(meta);
  }

  private boolean controlledByOwner(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return false;
    }
    for (OwnerReference ref : meta.getOwnerReferences()) {
      if (Boolean.TRUE.equals(ref.getController())) {
        return ownerUid.equals(ref.getUid());
      }
    }
    return false;
  }

  /**
   * The resource's name, fitted so that name, dash and hash make a DNS-1123 label: dots (allowed in
   * resource names) become dashes, and the name is cut, never the hash.
   */
  private static String namePrefix(String resourceName) {
    String label = resourceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    int room = MAX_NAME_LENGTH - 1 - HASH_LENGTH;
    if (label.length() > room) {
      label = label.substring(0, room);
    }
    return label.replaceAll("-+$", "");
  }

  /**
   * The resource name is hashed too: two long names that share their first 52 characters would
   * otherwise get the same Job name for the same generation and attempt.
   */
  private static String hash(String resourceName, long generation, RunRequest request) {
    StringBuilder text = new StringBuilder();
    for (String field :
        new String[] {
          resourceName,
          Long.toString(generation),
          request.retryValue(),
          Integer.toString(request.attempt()),
          request.command().argument()
        }) {
      // Length-prefixed, with a marker for null, so no two different inputs share a text.
      text.append(field == null ? "~" : field.length() + ":" + field).append('\n');
    }
    return digest(text.toString());
  }

  /** The first {@value #HASH_LENGTH} hex digits of the text's SHA-256. */
  static String digest(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
