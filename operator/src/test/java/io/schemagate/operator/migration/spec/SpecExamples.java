package io.schemagate.operator.migration.spec;

import static io.schemagate.operator.migration.spec.ApiServerValidation.SERIALIZATION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The good and bad SchemaMigrations the CRD and SpecValidator are both checked against. */
final class SpecExamples {
  private static final Path DIR = Path.of("src", "test", "resources", "spec-examples");

  /** The SchemaMigrations of examples/: the first step, and the roll-forward's. */
  static final List<Path> USER_EXAMPLES =
      List.of(
          Path.of("..", "examples", "30-schemamigration.yaml"),
          Path.of("..", "examples", "roll-forward", "30-schemamigration.yaml"));

  /** An example; {@code expect} maps each field the API server reports to a part of its message. */
  record Example(String name, JsonNode object, Map<String, String> expect) {
    boolean good() {
      return expect.isEmpty();
    }

    SchemaMigration toJava() {
      return SERIALIZATION.convertValue(object, SchemaMigration.class);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private SpecExamples() {}

  static Stream<Example> good() throws IOException {
    List<Example> examples = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR.resolve("good"))) {
      for (Path file : files.sorted().toList()) {
        examples.add(
            new Example("good/" + file.getFileName(), read(DIR.relativize(file)), Map.of()));
      }
    }
    for (Path file : USER_EXAMPLES) {
      examples.add(
          new Example(
              Path.of("..").relativize(file).toString().replace('\\', '/'),
              userExample(file),
              Map.of()));
    }
    return examples.stream();
  }

  static Stream<Example> bad() throws IOException {
    JsonNode base = minimal();
    List<Example> examples = new ArrayList<>();
    for (JsonNode c : read(Path.of("bad.yaml"))) {
      Map<String, String> expect = new LinkedHashMap<>();
      c.get("expect").fields().forEachRemaining(e -> expect.put(e.getKey(), e.getValue().asText()));
      examples.add(new Example(c.get("name").asText(), merge(base, c.get("patch")), expect));
    }
    examples.addAll(overBounds(base));
    return examples.stream();
  }

  static Stream<Example> all() throws IOException {
    return Stream.concat(good(), bad());
  }

  static JsonNode minimal() {
    return read(Path.of("good", "minimal.yaml"));
  }

  /** The one SchemaMigration document of a file of examples/. */
  static JsonNode userExample(Path file) throws IOException {
    String text = Files.readString(file);
    for (String document : text.split("(?m)^---\\s*$")) {
      JsonNode node = SERIALIZATION.unmarshal(document, JsonNode.class);
      if (node != null && "SchemaMigration".equals(node.path("kind").asText())) {
        return node;
      }
    }
    throw new IllegalStateException(file + " holds no SchemaMigration");
  }

  // Values too long or lists too long to write out in bad.yaml.
  private static List<Example> overBounds(JsonNode base) {
    List<Example> examples = new ArrayList<>();
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch
        .putObject("spec")
        .putObject("database")
        .put("url", "jdbc:postgresql://orders-db/" + "o".repeat(2049 - 28));
    examples.add(over(base, "url over 2048 characters", patch, "spec.database.url", "maxLength"));

    patch = JsonNodeFactory.instance.objectNode();
    patch
        .putObject("spec")
        .putObject("bundle")
        .put("image", "registry.example.com/" + "i".repeat(513 - 21));
    examples.add(over(base, "image over 512 characters", patch, "spec.bundle.image", "maxLength"));

    patch = JsonNodeFactory.instance.objectNode();
    patch
        .putObject("spec")
        .putObject("database")
        .putObject("credentialsSecret")
        .put("name", "s".repeat(254));
    examples.add(
        over(
            base,
            "secret name over 253 characters",
            patch,
            "spec.database.credentialsSecret.name",
            "maxLength"));

    patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("spec").putObject("database").putArray("schemas").add("s".repeat(64));
    examples.add(
        over(
            base,
            "schema name over 63 characters",
            patch,
            "spec.database.schemas[0]",
            "maxLength"));

    patch = JsonNodeFactory.instance.objectNode();
    ArrayNode env = patch.putObject("spec").putObject("job").putArray("env");
    for (int i = 0; i < 65; i++) {
      env.addObject().put("name", "VAR_" + i).put("value", "x");
    }
    examples.add(over(base, "65 environment variables", patch, "spec.job.env", "maxItems"));

    patch = JsonNodeFactory.instance.objectNode();
    ObjectNode selector = patch.putObject("spec").putObject("job").putObject("nodeSelector");
    for (int i = 0; i < 65; i++) {
      selector.put("example.com/label-" + i, "x");
    }
    examples.add(
        over(base, "65 node selector entries", patch, "spec.job.nodeSelector", "maxProperties"));
    return examples;
  }

  private static Example over(
      JsonNode base, String name, JsonNode patch, String field, String keyword) {
    return new Example(name, merge(base, patch), Map.of(field, keyword));
  }

  /** RFC 7386 JSON merge patch. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    patch
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNull()) {
                result.remove(f.getKey());
              } else {
                result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue()));
              }
            });
    return result;
  }

  /** An example file, by its path in the examples folder. */
  static JsonNode read(Path file) {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      return SERIALIZATION.unmarshal(in, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
