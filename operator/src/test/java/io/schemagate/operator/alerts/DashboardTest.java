package io.schemagate.operator.alerts;

import static io.schemagate.testkit.observability.GrafanaDashboard.panels;
import static io.schemagate.testkit.observability.GrafanaDashboard.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard of {@code deploy/grafana}: its ConfigMap carries the JSON file unchanged,
 * with the sidecar's label, and every panel queries the chosen Prometheus data source. That every
 * query returns data from a real Prometheus is the sandbox's {@code PrometheusEndToEndTest}.
 */
class DashboardTest {
  static final Path DASHBOARD = Path.of("deploy", "grafana", "schemagate-dashboard.json");
  static final Path CONFIG_MAP = Path.of("deploy", "grafana", "dashboard-configmap.yaml");
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String DATASOURCE = "${datasource}";

  /** A metric selector of ours, and what follows its name. */
  static final Pattern SELECTOR = Pattern.compile("(schemagate_[a-z_]+)(\\{[^}]*})?");

  @Test
  void theConfigMapCarriesTheJsonFileUnchangedWithTheSidecarsLabel() throws IOException {
    JsonNode cm = YAML.readTree(CONFIG_MAP.toFile());
    assertThat(cm.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("schemagate-dashboard");
    assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").isTextual()).isTrue();
    assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(cm.path("data").size()).isEqualTo(1);
    assertThat(cm.path("data").path("schemagate.json").asText())
        .as(
            "%s's data[\"schemagate.json\"] must be %s, indented by 4 spaces under a '|' block",
            CONFIG_MAP, DASHBOARD)
        .isEqualTo(Files.readString(DASHBOARD));
  }

  @Test
  void theDashboardHasADataSourceAndANamespaceVariable() throws IOException {
    JsonNode d = dashboard();
    assertThat(d.path("uid").asText()).isEqualTo("schemagate");
    assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    assertThat(d.path("id").isNull()).as("no id, so that it imports into any Grafana").isTrue();
    JsonNode datasource = variable(d, "datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    JsonNode namespace = variable(d, "namespace");
    assertThat(namespace.path("type").asText()).isEqualTo("query");
    assertThat(namespace.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
    assertThat(namespace.path("query").path("query").asText())
        .isEqualTo("label_values(schemagate_migration_ready, namespace)");
    assertThat(namespace.path("multi").asBoolean()).isTrue();
    assertThat(namespace.path("includeAll").asBoolean()).isTrue();
  }

  @Test
  void everyPanelQueriesTheChosenDataSource() throws IOException {
    List<JsonNode> panels = panels(dashboard());
    assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : panels) {
      String title = p.path("title").asText();
      assertThat(title).isNotBlank();
      assertThat(ids.add(p.path("id").asInt())).as("%s: id unique", title).isTrue();
      assertThat(p.path("datasource").path("type").asText()).as(title).isEqualTo("prometheus");
      assertThat(p.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
      assertThat(p.path("targets").size()).as("%s: targets", title).isPositive();
      for (JsonNode t : p.path("targets")) {
        assertThat(t.path("expr").asText()).as(title).isNotBlank();
        assertThat(t.path("datasource").path("uid").asText()).as(title).isEqualTo(DATASOURCE);
      }
    }
  }

  /** The namespace variable narrows every panel, and each of our series is read per resource. */
  @Test
  void everySelectorIsNarrowedByTheNamespaceVariable() throws IOException {
    for (String expr : expressions(dashboard())) {
      Matcher m = SELECTOR.matcher(expr);
      int found = 0;
      while (m.find()) {
        found++;
        assertThat(m.group(2)).as(expr).startsWith("{namespace=~\"$namespace\"");
      }
      assertThat(found).as(expr).isPositive();
    }
  }

  /**
   * Gauges are read with {@code max by (namespace, name)}: for a scrape or two after a leader
   * change both replicas may export them (as the alert rules say).
   */
  @Test
  void gaugesAreTakenOncePerResourceWhateverTheReplicas() throws IOException {
    Pattern gauge =
        Pattern.compile(
            "schemagate_(migration_(ready|stalled|pending|revision_info|running_seconds"
                + "|timeout_seconds|last_success_timestamp_seconds)|gated_deployments)\\{");
    for (String expr : expressions(dashboard())) {
      Matcher m = gauge.matcher(expr);
      while (m.find()) {
        String before = expr.substring(0, m.start());
        assertThat(before).as(expr).matches("(?s).*max by \\(namespace, name[a-z, ]*\\) \\($");
      }
    }
  }

  @Test
  void thePanelsOfIssue12AreThere() throws IOException {
    assertThat(panels(dashboard()))
        .extracting(p -> p.path("title").asText())
        .contains(
            "Runs by result",
            "Failed runs by reason",
            "Run duration percentiles",
            "Current revision per database",
            "Pending migrations",
            "Stalled",
            "Gated Deployments",
            "Run in progress, share of its timeout");
  }

  // --- helpers

  static JsonNode dashboard() throws IOException {
    return JSON.readTree(DASHBOARD.toFile());
  }

  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : panels(dashboard)) {
      p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    return out;
  }
}
