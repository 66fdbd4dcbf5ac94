package io.schemagate.operator.migration.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an object against the committed CRD the way the API server does on create: schema defaults
 * first, then the OpenAPI schema (with unknown fields rejected, as {@code kubectl apply}'s strict
 * field validation does), list-type uniqueness and every {@code x-kubernetes-validations} rule with
 * {@code self} bound to the value at its node.
 */
final class ApiServerValidation {
  static final Path CRD = Path.of("..", "crds", "schemamigrations.schemagate.io-v1.yml");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String RULE_ERROR = "rule evaluation error: ";

  private static final CelCompiler CEL_COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addLibraries(CelExtensions.strings())
          .build();
  private static final CelRuntime CEL_RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();

  private final JsonNode crd;
  private final JsonNode openApiSchema;
  private final Schema jsonSchema;
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  private ApiServerValidation(JsonNode crd) {
    this.crd = crd;
    this.openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    if (openApiSchema.isMissingNode()) {
      throw new IllegalStateException("CRD has no spec.versions[0].schema.openAPIV3Schema");
    }
    this.jsonSchema =
        SchemaRegistry.withDialect(Dialects.getOpenApi30())
            .getSchema(SERIALIZATION.asJson(toJsonSchema(openApiSchema)), InputFormat.JSON);
  }

  static ApiServerValidation committedCrd() throws IOException {
    try (InputStream in = Files.newInputStream(CRD)) {
      return new ApiServerValidation(SERIALIZATION.unmarshal(in, JsonNode.class));
    }
  }

  JsonNode crd() {
    return crd;
  }

  JsonNode openApiSchema() {
    return openApiSchema;
  }

  /** Violations of the object after defaulting; empty when the API server would accept it. */
  List<Violation> validate(JsonNode object) {
    JsonNode defaulted = defaulted(object);
    List<Violation> violations = new ArrayList<>();
    for (Error e : jsonSchema.validate(SERIALIZATION.asJson(defaulted), InputFormat.JSON)) {
      // required and additionalProperties point at the object; name the property instead.
      String field = field(e.getInstanceLocation());
      if (e.getProperty() != null) {
        field = join(field, e.getProperty());
      }
      violations.add(new Violation(field, e.getKeyword() + ": " + e.getMessage()));
    }
    listTypes(openApiSchema, defaulted, "", violations);
    rules(openApiSchema, defaulted, "", violations);
    return violations;
  }

  /** Only the violations of x-kubernetes-validations rules that evaluated to false. */
  List<Violation> failedRules(JsonNode object) {
    List<Violation> violations = new ArrayList<>();
    rules(openApiSchema, defaulted(object), "", violations);
    return violations.stream().filter(v -> !v.message().startsWith(RULE_ERROR)).toList();
  }

  /** The object with the schema's defaults applied, as the API server stores it. */
  JsonNode defaulted(JsonNode object) {
    JsonNode copy = object.deepCopy();
    applyDefaults(copy, openApiSchema);
    return copy;
  }

  // Kubernetes' structural defaulting: a missing property gets its default, then every present
  // property (defaulted ones included) is defaulted in turn.
  private static void applyDefaults(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        JsonNode present = object.get(p.getKey());
        if (p.getValue().has("default") && (present == null || present.isNull())) {
          object.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode propertySchema = fieldSchema(schema, f.getKey());
        if (propertySchema != null) {
          applyDefaults(f.getValue(), propertySchema);
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(item, schema.get("items")));
    }
  }

  // OpenAPI to JSON Schema: the x-kubernetes-* keywords are the API server's own (checked
  // separately here), and an object with declared properties takes no others.
  private static JsonNode toJsonSchema(JsonNode openApi) {
    ObjectNode schema = (ObjectNode) strip(openApi);
    ObjectNode properties = (ObjectNode) schema.get("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    return schema;
  }

  private static JsonNode strip(JsonNode node) {
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(strip(item)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      switch (f.getKey()) {
        case "default", "enum" -> copy.set(f.getKey(), f.getValue());
        case "properties" -> {
          ObjectNode properties = copy.putObject("properties");
          f.getValue()
              .fields()
              .forEachRemaining(p -> properties.set(p.getKey(), strip(p.getValue())));
        }
        default -> {
          if (!f.getKey().startsWith("x-kubernetes-")) {
            copy.set(f.getKey(), strip(f.getValue()));
          }
        }
      }
    }
    if (node.has("properties")
        && !node.has("additionalProperties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      copy.put("additionalProperties", false);
    }
    return copy;
  }

  private static void listTypes(
      JsonNode schema, JsonNode value, String path, List<Violation> violations) {
    if (value == null || value.isNull() || schema == null) {
      return;
    }
    if (value.isArray()) {
      String listType = schema.path("x-kubernetes-list-type").asText("atomic");
      Set<JsonNode> seen = new HashSet<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        JsonNode key = item;
        if (listType.equals("map")) {
          ObjectNode k = JsonNodeFactory.instance.objectNode();
          schema
              .path("x-kubernetes-list-map-keys")
              .forEach(name -> k.set(name.asText(), item.get(name.asText())));
          key = k;
        }
        if (!listType.equals("atomic") && !seen.add(key)) {
          violations.add(new Violation(path + "[" + i + "]", "Duplicate value"));
        }
        listTypes(schema.get("items"), item, path + "[" + i + "]", violations);
      }
    } else if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode propertySchema = fieldSchema(schema, f.getKey());
        listTypes(propertySchema, f.getValue(), join(path, f.getKey()), violations);
      }
    }
  }

  /** The schema of an object's field: its property, else additionalProperties; null if neither. */
  private static JsonNode fieldSchema(JsonNode objectSchema, String field) {
    JsonNode property = objectSchema.path("properties").get(field);
    if (property == null && objectSchema.path("additionalProperties").isObject()) {
      return objectSchema.get("additionalProperties");
    }
    return property;
  }

  private void rules(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
    if (value == null || value.isNull() || schema == null) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String field = path;
      if (rule.has("fieldPath")) {
        field = join(path, rule.get("fieldPath").asText().substring(1));
      }
      String message = rule.path("message").asText(rule.get("rule").asText());
      CelRuntime.Program program = program(rule.get("rule").asText());
      try {
        Object result = program.eval(Map.of("self", toCel(value)));
        if (!Boolean.TRUE.equals(result)) {
          violations.add(new Violation(field, message));
        }
      } catch (Exception e) {
        violations.add(new Violation(field, RULE_ERROR + e.getMessage()));
      }
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        rules(schema.get("items"), value.get(i), path + "[" + i + "]", violations);
      }
    } else if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode propertySchema = fieldSchema(schema, f.getKey());
        rules(propertySchema, f.getValue(), join(path, f.getKey()), violations);
      }
    }
  }

  CelRuntime.Program program(String rule) {
    return programs.computeIfAbsent(
        rule,
        r -> {
          try {
            CelAbstractSyntaxTree ast = CEL_COMPILER.compile(r).getAst();
            return CEL_RUNTIME.createProgram(ast);
          } catch (Exception e) {
            throw new IllegalStateException("CEL rule does not compile: " + r, e);
          }
        });
  }

  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNull()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    return node.asText();
  }

  private static String field(NodePath location) {
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        field.append('[').append(index).append(']');
      } else {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(element);
      }
    }
    return field.toString();
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
