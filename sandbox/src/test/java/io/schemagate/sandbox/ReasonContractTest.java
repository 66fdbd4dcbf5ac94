package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runner's failure reasons are the contract between the runner and the operator: each one
 * reaches the operator by name in the result and by exit code from the pod, so each must be an API
 * reason of the same name and exit with the code docs/runner.md gives it.
 */
class ReasonContractTest {
  /** Surefire runs in the module folder; the docs live at the repository root. */
  private static final Path RUNNER_DOC = Path.of("..", "docs", "runner.md");

  private static final Pattern REASON = Pattern.compile("`([A-Za-z]+)`");

  @Test
  void everyRunnerReasonIsAnApiReasonOfTheSameName() {
    List<String> api = names(io.schemagate.api.v1alpha1.Reason.values());

    assertThat(api).as("the API's Reason").containsAll(names(io.schemagate.runner.Reason.values()));
  }

  @Test
  void everyRunnerReasonExitsWithTheCodeOfDocsRunnerMdsExitCodeTable() throws IOException {
    Map<String, Integer> runner = new TreeMap<>();
    for (io.schemagate.runner.Reason r : io.schemagate.runner.Reason.values()) {
      runner.put(r.name(), r.exitCode());
    }

    assertThat(documentedExitCodes())
        .as(
            "reasons and exit codes of %s (actual) and of the runner's Reason (expected)",
            RUNNER_DOC)
        .isEqualTo(runner);
  }

  /** The reasons of the "Exit codes" table in docs/runner.md and the exit code of each. */
  private static Map<String, Integer> documentedExitCodes() throws IOException {
    List<String> lines = Files.readAllLines(RUNNER_DOC);
    int heading = lines.indexOf("## Exit codes");
    assertThat(heading).as("'## Exit codes' in %s", RUNNER_DOC).isNotNegative();
    List<String> table =
        lines.subList(heading + 1, lines.size()).stream()
            .dropWhile(l -> !l.startsWith("|"))
            .takeWhile(l -> l.startsWith("|"))
            .skip(2) // the header and its separator
            .toList();
    assertThat(table).as("rows of the exit-code table").isNotEmpty();
    Map<String, Integer> codes = new TreeMap<>();
    for (String row : table) {
      String[] cells = row.split("\\|");
      int exit = Integer.parseInt(cells[1].trim());
      Matcher reasons = REASON.matcher(cells[2]);
      while (reasons.find()) {
        Integer earlier = codes.put(reasons.group(1), exit);
        assertThat(earlier).as("%s documented twice", reasons.group(1)).isNull();
      }
    }
    return codes;
  }

  private static List<String> names(Enum<?>[] constants) {
    return Arrays.stream(constants).map(Enum::name).toList();
  }
}
