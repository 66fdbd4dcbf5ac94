package io.schemagate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * A CRD generator schema customizer that applies its input as an RFC 7386 JSON merge patch, deep.
 *
 * <p>The generator's own {@code MergePatchCustomizer} reads the patch into the schema bean, which
 * replaces nested maps such as {@code properties} instead of merging them, so it drops every
 * property the patch does not name.
 */
public final class SchemaMergePatch implements SchemaCustomizer.Customizer {
  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps props, String input, KubernetesSerialization serialization) {
    JsonNode schema = serialization.convertValue(props, JsonNode.class);
    JsonNode patch = serialization.unmarshal(input, JsonNode.class);
    return serialization.convertValue(merge(schema, patch), JSONSchemaProps.class);
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
