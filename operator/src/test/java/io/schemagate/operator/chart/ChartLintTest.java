package io.schemagate.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict helm/schemagate}: no error and no warning. */
class ChartLintTest {

  @Test
  void strictLintFindsNothingToWarnAbout() {
    LintResult result = SchemagateChart.helm().lint().strict().call();
    assertThat(result.getMessages())
        .as("helm lint --strict")
        .noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
    assertThat(result.isFailed())
        .as("helm lint --strict failed: %s", result.getMessages())
        .isFalse();
  }
}
