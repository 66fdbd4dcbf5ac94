package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Applies manifest files to the sandbox's API server the way {@code kubectl apply} would. */
final class Manifests {
  private final KubernetesClient client;

  Manifests(KubernetesClient client) {
    this.client = client;
  }

  /** Applies a file, or every *.yaml / *.yml file of a folder in name order. */
  List<HasMetadata> apply(Path path) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      }
    } else {
      files.add(path);
    }
    List<HasMetadata> applied = new ArrayList<>();
    for (Path file : files) {
      for (HasMetadata item : read(file)) {
        applied.add(applyOne(item));
      }
    }
    return applied;
  }

  private List<HasMetadata> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = client.getKubernetesSerialization().unmarshal(in);
      if (parsed instanceof KubernetesList list) {
        return list.getItems();
      }
      if (parsed instanceof List<?> list) {
        List<HasMetadata> items = new ArrayList<>();
        for (Object o : list) {
          if (o instanceof HasMetadata h) {
            items.add(h);
          }
        }
        return items;
      }
      if (parsed instanceof HasMetadata h) {
        return List.of(h);
      }
      throw new IOException(file + ": not a Kubernetes manifest");
    }
  }

  private HasMetadata applyOne(HasMetadata item) {
    if (item.getMetadata().getNamespace() == null
        && !(item instanceof io.fabric8.kubernetes.api.model.Namespace)) {
      item.getMetadata().setNamespace("default");
    }
    if (item instanceof SchemaMigration sm) {
      return applySchemaMigration(sm);
    }
    HasMetadata existing = client.resource(item).get();
    if (existing == null) {
      return client.resource(item).create();
    }
    item.getMetadata().setResourceVersion(null);
    return client.resource(item).update();
  }

  /** Spec, labels and annotations from the manifest; status stays the operator's. */
  private HasMetadata applySchemaMigration(SchemaMigration sm) {
    var resources =
        client.resources(SchemaMigration.class).inNamespace(sm.getMetadata().getNamespace());
    SchemaMigration existing = resources.withName(sm.getMetadata().getName()).get();
    if (existing == null) {
      sm.setStatus(null);
      return resources.resource(sm).create();
    }
    return resources
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
