package io.schemagate.sandbox;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads manifest files as {@code kubectl apply} does, refusing what it would refuse with one line
 * that names the file, the document and the problem, and applies them to the sandbox's API server.
 */
final class Manifests {
  /** A manifest the sandbox cannot apply; the message is one line for the user. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  /** An object of a manifest, with the file it came from (kubectl names it in an error). */
  record Item(Path file, HasMetadata object) {}

  /**
   * An object the API server refused: {@code verb} is what was tried ("creating" or "updating"),
   * {@code error} what the server answered.
   */
  record Rejection(Item item, String verb, KubernetesClientException error) {}

  /** What one apply did: the objects as the API server stored them, and those it refused. */
  record Outcome(List<HasMetadata> applied, List<Rejection> rejected) {}

  private static final String GROUP_PREFIX = SchemaGateApi.GROUP + "/";

  /** How often an update refused with 409 Conflict is tried in all. */
  static final int CONFLICT_ATTEMPTS = 5;

  private final KubernetesClient client;

  Manifests(KubernetesClient client) {
    this.client = client;
  }

  /** The objects of a file, or of every *.yaml / *.yml file of a folder in name order. */
  static List<Item> read(Path path) throws IOException, Invalid {
    KubernetesSerialization json = new KubernetesSerialization();
    json.registerKubernetesResource(SchemaMigration.class);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new Invalid(path + ": no *.yaml or *.yml files in this folder");
      }
    } else {
      files.add(path);
    }
    List<Item> items = new ArrayList<>();
    for (Path file : files) {
      for (HasMetadata object : readFile(file, json)) {
        items.add(new Item(file, object));
      }
    }
    return items;
  }

  private static List<HasMetadata> readFile(Path file, KubernetesSerialization json)
      throws IOException, Invalid {
    List<HasMetadata> objects = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      Iterator<Object> documents =
          new Load(LoadSettings.builder().build()).loadAllFromInputStream(in).iterator();
      int index = 0;
      while (true) {
        Object document;
        try {
          if (!documents.hasNext()) {
            break;
          }
          document = documents.next();
        } catch (YamlEngineException e) {
          throw new Invalid(where(file, index + 1) + ": not valid YAML" + yamlProblem(e));
        }
        index++;
        if (document != null) {
          objects.addAll(objects(document, where(file, index), json));
        }
      }
    }
    if (objects.isEmpty()) {
      throw new Invalid(file + ": no Kubernetes objects in this file");
    }
    return objects;
  }

  private static List<HasMetadata> objects(
      Object document, String where, KubernetesSerialization json) throws Invalid {
    if (!(document instanceof Map<?, ?> map)) {
      throw new Invalid(where + ": not a Kubernetes object (a mapping with apiVersion and kind)");
    }
    String apiVersion = text(map.get("apiVersion"));
    String kind = text(map.get("kind"));
    if (apiVersion == null || kind == null) {
      throw new Invalid(where + ": apiVersion and kind are required");
    }
    KubernetesResource resource;
    try {
      resource = json.convertValue(map, KubernetesResource.class);
    } catch (IllegalArgumentException e) {
      throw new Invalid(where + " (" + kind + "): " + readProblem(e));
    }
    if (resource instanceof GenericKubernetesResource && apiVersion.startsWith(GROUP_PREFIX)) {
      throw new Invalid(
          where
              + ": "
              + (apiVersion.equals(SchemaGateApi.API_VERSION)
                  ? apiVersion + " has no kind " + kind + "; its kind is " + SchemaGateApi.KIND
                  : "apiVersion "
                      + apiVersion
                      + " is not served; "
                      + SchemaGateApi.KIND
                      + " is "
                      + SchemaGateApi.API_VERSION));
    }
    List<HasMetadata> objects = new ArrayList<>();
    if (resource instanceof KubernetesList list) {
      objects.addAll(list.getItems());
    } else if (resource instanceof HasMetadata object) {
      objects.add(object);
    } else {
      throw new Invalid(where + ": " + kind + " is not an object this sandbox can apply");
    }
    for (HasMetadata object : objects) {
      if (object.getMetadata() == null || text(object.getMetadata().getName()) == null) {
        throw new Invalid(where + " (" + object.getKind() + "): metadata.name is required");
      }
    }
    return objects;
  }

  private static String where(Path file, int document) {
    return file + ", document " + document;
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }

  private static String yamlProblem(YamlEngineException e) {
    if (e instanceof MarkedYamlEngineException marked) {
      String at =
          marked
              .getProblemMark()
              .map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
              .orElse("");
      return at + ": " + oneLine(marked.getProblem());
    }
    return ": " + oneLine(e.getMessage());
  }

  /** The field that could not be read, as a path; the value stays out of the message. */
  private static String readProblem(IllegalArgumentException e) {
    if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
        } else {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      return path + " has a value of the wrong type";
    }
    return "cannot be read";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }

  /**
   * Applies the objects in order, as {@code kubectl apply} does: an object the API server refuses
   * (a schema or CEL rule of its CRD, a missing namespace, a quota, ...) is recorded with the
   * server's answer, and the others are still applied.
   */
  Outcome apply(List<Item> items) {
    List<HasMetadata> applied = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Item item : items) {
      HasMetadata object = item.object();
      if (object.getMetadata().getNamespace() == null && !(object instanceof Namespace)) {
        object.getMetadata().setNamespace("default");
      }
      String verb = "retrieving";
      try {
        HasMetadata existing = current(object);
        verb = existing == null ? "creating" : "updating";
        applied.add(existing == null ? create(object) : updateAgainOnConflict(object, existing));
      } catch (KubernetesClientException e) {
        rejected.add(new Rejection(item, verb, e));
      }
    }
    return new Outcome(applied, rejected);
  }

  /**
   * {@code kubectl apply} patches, which no concurrent write conflicts with; the sandbox's update
   * is a read and a write, and the operator may write in between (a hold it places on a Deployment
   * the same apply changes, a status it records): the API server then answers 409 Conflict. Read
   * again and update again, as often as that happens, a few times; each attempt starts from the
   * manifest's object, so that what the update keeps of the stored one is the newest.
   */
  private HasMetadata updateAgainOnConflict(HasMetadata object, HasMetadata existing) {
    for (int attempt = 1; ; attempt++) {
      try {
        return update(client.getKubernetesSerialization().clone(object), existing);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
        existing = current(object);
        if (existing == null) {
          throw e;
        }
      }
    }
  }

  private HasMetadata current(HasMetadata object) {
    if (object instanceof SchemaMigration sm) {
      return migrations(sm).withName(sm.getMetadata().getName()).get();
    }
    return client.resource(object).get();
  }

  private HasMetadata create(HasMetadata object) {
    if (object instanceof SchemaMigration sm) {
      sm.setStatus(null);
      return migrations(sm).resource(sm).create();
    }
    return client.resource(object).create();
  }

  private HasMetadata update(HasMetadata object, HasMetadata existing) {
    if (object instanceof SchemaMigration sm) {
      return updateSchemaMigration(sm);
    }
    if (object instanceof Deployment d && existing instanceof Deployment stored) {
      keepPause(d, stored);
    }
    object.getMetadata().setResourceVersion(null);
    return client.resource(object).update();
  }

  /**
   * What {@code kubectl apply}'s merge keeps of a Deployment when the manifest leaves it unset:
   * {@code spec.paused} (a person's pause, or the gate's hold) and the gate's {@code
   * schemagate.io/paused-by}; replacing them would unpause a held Deployment until the operator
   * holds it again.
   */
  private static void keepPause(Deployment d, Deployment stored) {
    if (d.getSpec() != null && d.getSpec().getPaused() == null && stored.getSpec() != null) {
      d.getSpec().setPaused(stored.getSpec().getPaused());
    }
    Map<String, String> before = stored.getMetadata().getAnnotations();
    String pausedBy = before == null ? null : before.get(SchemaGateApi.PAUSED_BY_ANNOTATION);
    if (pausedBy != null) {
      Map<String, String> annotations =
          d.getMetadata().getAnnotations() == null
              ? new HashMap<>()
              : new HashMap<>(d.getMetadata().getAnnotations());
      annotations.putIfAbsent(SchemaGateApi.PAUSED_BY_ANNOTATION, pausedBy);
      d.getMetadata().setAnnotations(annotations);
    }
  }

  private NonNamespaceOperation<
          SchemaMigration, KubernetesResourceList<SchemaMigration>, Resource<SchemaMigration>>
      migrations(SchemaMigration sm) {
    return client.resources(SchemaMigration.class).inNamespace(sm.getMetadata().getNamespace());
  }

  /** Spec, labels and annotations from the manifest; status stays the operator's. */
  private HasMetadata updateSchemaMigration(SchemaMigration sm) {
    return migrations(sm)
        .withName(sm.getMetadata().getName())
        .edit(
            e -> {
              e.setSpec(sm.getSpec());
              e.getMetadata().setLabels(sm.getMetadata().getLabels());
              e.getMetadata().setAnnotations(sm.getMetadata().getAnnotations());
              return e;
            });
  }
}
