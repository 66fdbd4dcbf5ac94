package io.schemagate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.BundleSpec;
import io.schemagate.api.v1alpha1.CredentialsSecretRef;
import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place tests build what they feed the operator: SchemaMigrations and their Secrets, Jobs
 * and Pods as the API server, the Job controller and the kubelet hand them over (recorded under
 * {@code fixtures/}), and the runner's result JSON as it writes it to the termination message.
 */
public final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /**
   * A valid SchemaMigration with only what a user must write: database {@code
   * jdbc:postgresql://<name>-db:5432/<name>}, credentials in the Secret {@code <name>-db}, bundle
   * {@code registry.example.com/<name>-migrations:1}; the schema's defaults for the rest.
   */
  public static SchemaMigration migration(String namespace, String name) {
    SchemaMigration sm = new SchemaMigration();
    sm.getMetadata().setName(name);
    sm.getMetadata().setNamespace(namespace);
    SchemaMigrationSpec spec = new SchemaMigrationSpec();
    DatabaseSpec db = new DatabaseSpec();
    db.setUrl("jdbc:postgresql://" + name + "-db:5432/" + name);
    CredentialsSecretRef secret = new CredentialsSecretRef();
    secret.setName(name + "-db");
    db.setCredentialsSecret(secret);
    spec.setDatabase(db);
    BundleSpec bundle = new BundleSpec();
    bundle.setImage("registry.example.com/" + name + "-migrations:1");
    spec.setBundle(bundle);
    sm.setSpec(spec);
    return sm;
  }

  /** {@link #migration(String, String)}, then changed by {@code edit}. */
  public static SchemaMigration migration(
      String namespace, String name, Consumer<SchemaMigration> edit) {
    SchemaMigration sm = migration(namespace, name);
    edit.accept(sm);
    return sm;
  }

  /** A credentials Secret with the default keys, {@code username} and {@code password}. */
  public static Secret credentials(String namespace, String name, String user, String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withStringData(Map.of("username", user, "password", password))
        .build();
  }

  /** A resource recorded under {@code fixtures/}, read as the API server would hand it over. */
  public static <T> T recorded(String file, Class<T> type) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + file);
      }
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Job as the Job controller leaves it, e.g. {@code job-deadline-exceeded.yaml}. */
  public static Job job(String file) {
    return recorded(file, Job.class);
  }

  /** A pod as the kubelet leaves it, e.g. {@code pod-migration-failed.yaml}. */
  public static Pod pod(String file) {
    return recorded(file, Pod.class);
  }

  /**
   * An application's Deployment of one replica, as its manifest has it, gated on SchemaMigration
   * {@code gate} (null: not gated), with {@code annotations} (e.g. the required revision), in
   * {@code namespace} (null: the client's).
   */
  public static Deployment app(
      String namespace, String name, String gate, Map<String, String> annotations) {
    DeploymentBuilder b =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app", name)
            .addToAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/" + name + ":1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    if (gate != null) {
      b.editMetadata().addToLabels(SchemaGateApi.GATE_LABEL, gate).endMetadata();
    }
    return b.build();
  }

  /** A SchemaMigration that sets every field, as the API server hands it over. */
  public static SchemaMigration orders() {
    return recorded("schemamigration-orders.yaml", SchemaMigration.class);
  }

  /** A SchemaMigration with only its required fields, as the API server hands it over. */
  public static SchemaMigration minimal() {
    return recorded("schemamigration-minimal.yaml", SchemaMigration.class);
  }

  /** The runner's result of a migrate that left the database at {@code revision}, its head. */
  public static String succeeded(String revision, int applied) {
    return result().at(revision).head(revision).applied(applied).json();
  }

  /** The runner's result of an info run on a database at {@code revision}, its head. */
  public static String info(String revision) {
    return result().command("info").at(revision).head(revision).json();
  }

  /**
   * The runner's result of a migrate that failed for {@code reason} on V4 of a bundle whose head is
   * 4, leaving the database at 3.
   */
  public static String failed(String reason, String message) {
    return result()
        .at("3")
        .head("4")
        .pending("4")
        .durationMs(120)
        .error(reason, message, "4", "V4__broken.sql", 4, "42P01")
        .json();
  }

  /** A runner result to shape: by default a successful migrate of an empty bundle. */
  public static RunnerResult result() {
    return new RunnerResult();
  }

  /** The runner's compact result JSON (DESIGN.md "The runner"), built field by field. */
  public static final class RunnerResult {
    private String command = "migrate";
    private String currentRevision;
    private String headRevision;
    private boolean stateKnown = true;
    private int applied;
    private final List<String> pending = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long durationMs = 812;
    private Map<String, Object> error;

    private RunnerResult() {}

    public RunnerResult command(String command) {
      this.command = command;
      return this;
    }

    /** The database's revision after the run. */
    public RunnerResult at(String revision) {
      this.currentRevision = revision;
      return this;
    }

    /** The bundle's head, which is also the target. */
    public RunnerResult head(String revision) {
      this.headRevision = revision;
      return this;
    }

    /** The run did not read the database's state (a configuration error, say). */
    public RunnerResult stateUnknown() {
      this.stateKnown = false;
      return this;
    }

    public RunnerResult applied(int count) {
      this.applied = count;
      return this;
    }

    public RunnerResult pending(String... versions) {
      pending.addAll(List.of(versions));
      return this;
    }

    public RunnerResult warning(String warning) {
      warnings.add(warning);
      return this;
    }

    public RunnerResult durationMs(long ms) {
      this.durationMs = ms;
      return this;
    }

    /** The run failed for {@code reason} on a statement of a file. */
    public RunnerResult error(
        String reason, String message, String version, String file, int line, String sqlState) {
      error = new LinkedHashMap<>();
      error.put("reason", reason);
      error.put("message", message);
      error.put("version", version);
      error.put("file", file);
      error.put("line", line);
      error.put("sqlState", sqlState);
      error.put("partial", false);
      return this;
    }

    /** The result as the runner writes it to its termination message. */
    public String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", command);
      m.put("status", error == null ? "Succeeded" : "Failed");
      m.put("currentRevision", currentRevision);
      m.put("headRevision", headRevision);
      m.put("targetRevision", headRevision);
      m.put("stateKnown", stateKnown);
      m.put("appliedCount", applied);
      m.put("pendingCount", pending.size());
      m.put("durationMs", durationMs);
      m.put("applied", List.of());
      m.put("pending", pending);
      m.put("future", List.of());
      m.put("warnings", warnings);
      m.put("error", error);
      try {
        return JSON.writeValueAsString(m);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
