package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Exponential backoff for transient failures; deterministic ones never retry. */
// Malformed durations are reported on their own fields, not again here.
@ValidationRule(
    value =
        "!self.initialDelay.matches('"
            + Durations.PATTERN
            + "') || !self.maxDelay.matches('"
            + Durations.PATTERN
            + "') || duration(self.maxDelay) >= duration(self.initialDelay)",
    message = "must not be shorter than initialDelay",
    fieldPath = ".maxDelay")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec extends WithUnknownFields {
  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Retries after the first attempt; 0 disables retrying.")
  private Integer limit = 3;

  @Default("10s")
  @Size(max = SpecLimits.DURATION_LENGTH)
  @Pattern(Durations.PATTERN)
  // Zero would double to zero: every retry at once, without backoff.
  @ValidationRule(
      value = "duration(self) >= duration('1s') && duration(self) <= duration('1h')",
      message = "must be between 1s and 1h")
  @JsonPropertyDescription("Delay before the first retry; doubles on each further one.")
  private String initialDelay = "10s";

  @Default("5m")
  @Size(max = SpecLimits.DURATION_LENGTH)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) <= duration('24h')", message = "must be at most 24h")
  @JsonPropertyDescription("Upper bound of the delay between retries.")
  private String maxDelay = "5m";

  public Integer getLimit() {
    return limit;
  }

  public void setLimit(Integer limit) {
    this.limit = limit;
  }

  public String getInitialDelay() {
    return initialDelay;
  }

  public void setInitialDelay(String initialDelay) {
    this.initialDelay = initialDelay;
  }

  public String getMaxDelay() {
    return maxDelay;
  }

  public void setMaxDelay(String maxDelay) {
    this.maxDelay = maxDelay;
  }
}
