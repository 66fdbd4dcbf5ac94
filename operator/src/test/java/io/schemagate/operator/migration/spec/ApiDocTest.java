package io.schemagate.operator.migration.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.api.v1alpha1.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiDocTest {
  private static final Path DOC = Path.of("..", "docs", "api.md");

  @Test
  void everyReasonHasARowWithItsRetryClass() throws IOException {
    String doc = Files.readString(DOC);
    for (Reason reason : Reason.values()) {
      String row =
          doc.lines()
              .filter(l -> l.startsWith("| `" + reason.name() + "` |"))
              .findFirst()
              .orElse(null);
      assertThat(row).as("docs/api.md row of %s", reason).isNotNull();
      if (reason.isTransient()) {
        assertThat(row).as("retry class of %s", reason).contains("| yes |");
      } else {
        assertThat(row).as("retry class of %s", reason).doesNotContain("| yes |");
      }
    }
  }

  @Test
  void everySpecFieldIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    JsonNode spec =
        ApiServerValidation.committedCrd().openApiSchema().at("/properties/spec/properties");
    List<String> fields = new ArrayList<>();
    collect(spec, "", fields);
    assertThat(fields).hasSizeGreaterThan(25);
    assertThat(fields).allSatisfy(f -> assertThat(doc).contains("| `" + f + "` |"));
  }

  // Fields of our own types, down to the leaves; job.resources is a Kubernetes type, linked.
  private static void collect(JsonNode properties, String prefix, List<String> out) {
    properties
        .properties()
        .forEach(
            p -> {
              String path = prefix + p.getKey();
              JsonNode nested = p.getValue().path("properties");
              if (nested.isEmpty() || path.equals("job.resources")) {
                out.add(path);
              } else {
                collect(nested, path + ".", out);
              }
            });
  }
}
