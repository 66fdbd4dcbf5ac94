package io.schemagate.operator.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.schemagate.testkit.observability.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules of {@code deploy/prometheus}, checked and unit-tested by a real
 * Prometheus {@code promtool} (Debian's {@code prometheus} package), the PrometheusRule kept equal
 * to the plain rules file, and every runbook link pointing at a heading of the docs.
 */
class AlertRulesTest {
  static final Path RULES = Path.of("deploy", "prometheus", "schemagate-alerts.yaml");
  static final Path PROMETHEUS_RULE = Path.of("deploy", "prometheus", "prometheusrule.yaml");
  static final Path UNIT_TESTS =
      Path.of("src", "test", "prometheus", "schemagate-alerts.test.yaml");
  static final Path DOC = Path.of("..", "docs", "observability.md");
  static final String RUNBOOKS =
      "https://github.com/schemagate/schemagate/blob/main/docs/observability.md#";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void promtoolAcceptsTheRulesFile() throws Exception {
    assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 4 rules found");
  }

  @Test
  void everyAlertFiresWhenItShouldAndStaysSilentWhenItShouldNot() throws Exception {
    assertThat(promtool("test", "rules", UNIT_TESTS.toString())).contains("SUCCESS");
  }

  /**
   * The expression docs/observability.md gives the chart for an absolute threshold, at 600 s: the
   * shipped one or the threshold, so slow past the threshold under a long timeout, and still past
   * 0.8 x a short one.
   */
  @Test
  void theChartsAbsoluteThresholdForSlowAddsToTheRelativeOne(@TempDir Path dir) throws Exception {
    String doc = Files.readString(DOC);
    Matcher block = Pattern.compile("```promql\n(.*?)```", Pattern.DOTALL).matcher(doc);
    String expr = null;
    while (block.find()) {
      if (block.group(1).contains(".Values.alerts.slowAfterSeconds")) {
        expr = block.group(1).replace("{{ .Values.alerts.slowAfterSeconds }}", "600");
      }
    }
    assertThat(expr).as("the chart's expression in " + DOC).isNotNull();
    String shipped =
        alerts().stream()
            .filter(a -> a.path("alert").asText().equals("SchemaMigrationSlow"))
            .findFirst()
            .orElseThrow()
            .path("expr")
            .asText();
    assertThat(expr.replaceAll("\\s+", " ")).contains(shipped.replaceAll("\\s+", " "));
    Files.writeString(
        dir.resolve("rules.yaml"),
        "groups:\n  - name: chart\n    rules:\n      - alert: Slow\n        expr: |-\n"
            + expr.strip().indent(10));
    Files.writeString(
        dir.resolve("test.yaml"),
        """
        rule_files: [rules.yaml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'schemagate_migration_running_seconds{namespace="shop",name="long"}'
                values: '0+60x15'
              - series: 'schemagate_migration_timeout_seconds{namespace="shop",name="long"}'
                values: '3600x15'
              - series: 'schemagate_migration_running_seconds{namespace="shop",name="short"}'
                values: '0+30x15'
              - series: 'schemagate_migration_timeout_seconds{namespace="shop",name="short"}'
                values: '300x15'
            alert_rule_test:
              - {eval_time: 8m, alertname: Slow, exp_alerts: []}
              - eval_time: 9m
                alertname: Slow
                exp_alerts: [{exp_labels: {namespace: shop, name: short}}]
              - eval_time: 11m
                alertname: Slow
                exp_alerts:
                  - {exp_labels: {namespace: shop, name: long}}
                  - {exp_labels: {namespace: shop, name: short}}
        """);
    promtool("check", "rules", dir.resolve("rules.yaml").toString());
    promtool("test", "rules", dir.resolve("test.yaml").toString());
  }

  @Test
  void thePrometheusRuleCarriesTheRulesFileGroupsUnchanged() throws Exception {
    JsonNode resource = YAML.readTree(PROMETHEUS_RULE.toFile());
    assertThat(resource.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(resource.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(resource.path("metadata").path("name").asText()).isEqualTo("schemagate-alerts");
    assertThat(resource.path("spec").path("groups"))
        .isEqualTo(YAML.readTree(RULES.toFile()).path("groups"));
  }

  @Test
  void everyAlertHasASeveritySummaryDescriptionAndRunbook() throws Exception {
    List<JsonNode> alerts = alerts();
    assertThat(alerts)
        .extracting(a -> a.path("alert").asText())
        .containsExactly(
            "SchemaMigrationFailed",
            "SchemaMigrationSlow",
            "SchemaMigrationPendingTooLong",
            "DeploymentGatedTooLong");
    for (JsonNode a : alerts) {
      String name = a.path("alert").asText();
      assertThat(a.path("labels").path("severity").asText())
          .as(name)
          .isEqualTo(name.equals("SchemaMigrationFailed") ? "critical" : "warning");
      JsonNode annotations = a.path("annotations");
      assertThat(annotations.path("summary").asText()).as(name).isNotBlank();
      assertThat(annotations.path("description").asText())
          .as(name)
          .contains("$labels.namespace", "$labels.name", "revision_info");
      assertThat(annotations.path("runbook_url").asText())
          .as(name)
          .isEqualTo(RUNBOOKS + name.toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void everyRunbookLinkIsAHeadingOfTheObservabilityDoc() throws Exception {
    Set<String> anchors = anchors(Files.readAllLines(DOC));
    for (JsonNode a : alerts()) {
      String url = a.path("annotations").path("runbook_url").asText();
      assertThat(url).startsWith(RUNBOOKS);
      assertThat(anchors).as(url).contains(url.substring(RUNBOOKS.length()));
    }
  }

  @Test
  void headingsBecomeGitHubAnchorsAndCommentsInCodeBlocksDoNot() {
    assertThat(
            anchors(
                List.of(
                    "# Observability",
                    "## Loading the rules (Prometheus Operator)",
                    "```promql",
                    "# SchemaMigrationSlow",
                    "```",
                    "### SchemaMigrationFailed")))
        .containsExactlyInAnyOrder(
            "observability", "loading-the-rules-prometheus-operator", "schemamigrationfailed");
  }

  // --- helpers

  static List<JsonNode> alerts() throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      group.path("rules").forEach(alerts::add);
    }
    return alerts;
  }

  /** The anchors of a Markdown page's headings; a {@code #} line in a fenced block is none. */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new HashSet<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("#")) {
        anchors.add(anchor(line));
      }
    }
    return anchors;
  }

  /** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    return heading
        .replaceFirst("^#+\\s*", "")
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  /** promtool's output; the test is skipped where promtool is not installed. */
  static String promtool(String... args) throws Exception {
    assumeTrue(Promtool.available(), Promtool.MISSING);
    Promtool.Result r = Promtool.run(null, args);
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output();
  }
}
