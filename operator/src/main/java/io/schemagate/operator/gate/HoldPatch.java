package io.schemagate.operator.gate;

import io.schemagate.api.SchemaGateApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hold placed or released as a JSON patch (RFC 6902), the same at admission and from the
 * reconciler: {@code spec.paused} and the {@code schemagate.io/paused-by} annotation. A JSON patch
 * rather than a merge patch: it removes the annotation on every API server (a merge patch's null is
 * kept as a value by some test servers).
 */
final class HoldPatch {
  /** The annotation's JSON Pointer ("/" in a key is "~1"). */
  static final String PAUSED_BY_PATH =
      "/metadata/annotations/"
          + SchemaGateApi.PAUSED_BY_ANNOTATION.replace("~", "~0").replace("/", "~1");

  private HoldPatch() {}

  /**
   * The operations that carry out {@code hold} on a Deployment with {@code annotations} (may be
   * null) for SchemaMigration {@code migration}; empty for {@link Hold#KEEP}.
   */
  static List<Map<String, Object>> of(
      Hold hold, Map<String, String> annotations, String migration) {
    List<Map<String, Object>> patch = new ArrayList<>();
    if (hold == Hold.PLACE) {
      patch.add(op("add", "/spec/paused", true));
      // An empty map may be absent from the stored object (clients read both as empty): adding
      // the whole map works either way, and there is nothing in it to keep.
      if (annotations == null || annotations.isEmpty()) {
        patch.add(
            op(
                "add",
                "/metadata/annotations",
                Map.of(SchemaGateApi.PAUSED_BY_ANNOTATION, migration)));
      } else {
        patch.add(op("add", PAUSED_BY_PATH, migration));
      }
    } else if (hold == Hold.RELEASE) {
      patch.add(op("add", "/spec/paused", false));
      if (annotations != null && annotations.containsKey(SchemaGateApi.PAUSED_BY_ANNOTATION)) {
        patch.add(op("remove", PAUSED_BY_PATH, null));
      }
    }
    return patch;
  }

  /**
   * As {@link #of}, applied only to the resourceVersion {@code resourceVersion}: the patch sets it,
   * and the API server refuses (409) a write whose resourceVersion is no longer the stored one.
   */
  static List<Map<String, Object>> guarded(
      Hold hold, Map<String, String> annotations, String migration, String resourceVersion) {
    List<Map<String, Object>> patch = new ArrayList<>();
    patch.add(op("replace", "/metadata/resourceVersion", resourceVersion));
    patch.addAll(of(hold, annotations, migration));
    return patch;
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    if (!"remove".equals(op)) {
      m.put("value", value);
    }
    return m;
  }
}
