package io.schemagate.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/install.md's table of values names every value of the chart's values.yaml. */
class ChartValuesDocTest {
  private static final Path DOC = Path.of("..", "docs", "install.md");

  /** Maps the user fills in as a whole (labels, Kubernetes objects), documented as one value. */
  private static final Set<String> WHOLE =
      Set.of("labels", "annotations", "resources", "affinity", "nodeSelector", "issuerRef");

  @Test
  void everyValueIsInTheTableOfDocsInstall() throws IOException {
    JsonNode values =
        new ObjectMapper(new YAMLFactory())
            .readTree(SchemagateChart.DIR.resolve("values.yaml").toFile());
    List<String> paths = new ArrayList<>();
    leaves("", values, paths);
    assertThat(paths).contains("image.repository", "webhook.certificates", "dashboard.labels");
    List<String> rows = Files.readAllLines(DOC).stream().filter(l -> l.startsWith("| `")).toList();
    for (String path : paths) {
      int dot = path.lastIndexOf('.');
      String parent = dot < 0 ? null : path.substring(0, dot);
      String last = path.substring(dot + 1);
      assertThat(rows)
          .as("a row of docs/install.md's values table for %s", path)
          .anyMatch(
              row ->
                  row.contains("`" + path + "`")
                      || (parent != null
                          && row.contains("`" + parent + ".")
                          && row.contains("`." + last + "`")));
    }
  }

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    node.fields()
        .forEachRemaining(
            f -> {
              String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
              JsonNode v = f.getValue();
              if (v.isObject() && v.size() > 0 && !WHOLE.contains(f.getKey())) {
                leaves(path, v, out);
              } else {
                out.add(path);
              }
            });
  }
}
