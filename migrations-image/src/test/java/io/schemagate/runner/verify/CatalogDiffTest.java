package io.schemagate.runner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogDiffTest {

  @Test
  void identicalSnapshotsGiveNoLines() {
    CatalogSnapshot snapshot = CatalogSnapshot.of(Map.of("table public.t", "table"));

    assertThat(CatalogDiff.compare(snapshot, CatalogSnapshot.of(Map.of("table public.t", "table"))))
        .isEmpty();
  }

  @Test
  void linesAreSortedByKeyWhateverTheirKind() {
    CatalogSnapshot expected =
        CatalogSnapshot.of(Map.of("index public.b", "x", "index public.c", "1"));
    CatalogSnapshot actual =
        CatalogSnapshot.of(Map.of("index public.a", "y", "index public.c", "2"));

    assertThat(CatalogDiff.compare(expected, actual))
        .containsExactly(
            "unexpected: index public.a",
            "missing after re-apply: index public.b",
            "changed: index public.c: '1' → '2'");
  }

  @Test
  void longDefinitionsAreCutAroundTheFirstDifference() {
    String common = "x".repeat(500);
    CatalogSnapshot expected =
        CatalogSnapshot.of(Map.of("function public.f()", common + "SELECT 1" + "y".repeat(500)));
    CatalogSnapshot actual =
        CatalogSnapshot.of(Map.of("function public.f()", common + "SELECT 2" + "y".repeat(500)));

    List<String> lines = CatalogDiff.compare(expected, actual);

    assertThat(lines).hasSize(1);
    String line = lines.get(0);
    assertThat(line).contains("SELECT 1").contains("SELECT 2");
    // 200 characters of each definition, and an ellipsis on both sides of each.
    assertThat(line.length())
        .isEqualTo("changed: function public.f(): '' → ''".length() + 2 * (200 + 2));
    assertThat(line).startsWith("changed: function public.f(): '…xxxx");
  }

  @Test
  void shortDefinitionsAreShownWhole() {
    assertThat(CatalogDiff.excerpt("CHECK ((n > 0))", 11)).isEqualTo("CHECK ((n > 0))");
  }

  @Test
  void lineBreaksInDefinitionsStayOnOneLine() {
    assertThat(CatalogDiff.excerpt("BEGIN\n\tRETURN 1;\nEND", 0))
        .isEqualTo("BEGIN\\n\\tRETURN 1;\\nEND");
  }

  @Test
  void longDefinitionDifferingEarlyIsCutAtTheEnd() {
    String text = "a".repeat(1000);

    assertThat(CatalogDiff.excerpt(text, 3)).isEqualTo("a".repeat(200) + "…");
  }
}
