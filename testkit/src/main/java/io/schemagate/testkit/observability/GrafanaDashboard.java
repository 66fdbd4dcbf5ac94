package io.schemagate.testkit.observability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading a Grafana dashboard's JSON: its template variables and its panels. */
public final class GrafanaDashboard {
  private GrafanaDashboard() {}

  /** The template variable {@code name}. */
  public static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no template variable " + name);
  }

  /** Every panel, those inside collapsed rows too. */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }
}
