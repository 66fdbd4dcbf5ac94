package io.schemagate.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart {@code helm/schemagate} as a real Helm (helm-java, Helm's Go library) renders it:
 * {@code helm template} with values, its output parsed into objects.
 */
final class SchemagateChart {
  static final Path DIR = Path.of("..", "helm", "schemagate");
  static final String RELEASE = "schemagate";
  static final String NAMESPACE = "schemagate-system";

  /** The oldest Kubernetes the chart supports (DESIGN.md). */
  static final String KUBE_VERSION = "1.31.0";

  private SchemagateChart() {}

  static Helm helm() {
    return new Helm(DIR);
  }

  /** {@code helm template schemagate helm/schemagate -n schemagate-system -f <values>}. */
  static Rendered template(Map<String, Object> values) {
    return template(values, RELEASE, NAMESPACE);
  }

  /** The same for another release name and namespace. */
  static Rendered template(Map<String, Object> values, String release, String namespace) {
    return new Rendered(templateText(values, release, namespace));
  }

  /** The rendered text; Helm's error (a schema violation, a failed template) as an exception. */
  static String templateText(Map<String, Object> values) {
    return templateText(values, RELEASE, NAMESPACE);
  }

  private static String templateText(Map<String, Object> values, String release, String namespace) {
    Path file = valuesFile(values);
    try {
      TemplateCommand template =
          helm()
              .template()
              .withName(release)
              .withNamespace(namespace)
              .withKubeVersion(KUBE_VERSION)
              .withValuesFile(file);
      return template.call();
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file
      }
    }
  }

  /** The values as a YAML file, as a user passes them with {@code -f}. */
  static Path valuesFile(Map<String, Object> values) {
    try {
      Path file = Files.createTempFile("schemagate-values", ".yaml");
      Files.writeString(file, Serialization.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of one rendering. */
  static final class Rendered {
    final String text;
    final List<HasMetadata> objects = new ArrayList<>();

    Rendered(String text) {
      this.text = text;
      for (String doc : text.split("(?m)^---\\s*$")) {
        if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
          objects.add(Serialization.unmarshal(doc, HasMetadata.class));
        }
      }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
      return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one " + type.getSimpleName() + ", rendered " + found.size());
      }
      return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      return all(type).stream()
          .filter(o -> o.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
  }
}
