package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Exponential backoff for transient failures; deterministic ones never retry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec {
  @Default("3")
  @JsonPropertyDescription("Retries after the first attempt; 0 disables retrying.")
  private Integer limit = 3;

  @Default("10s")
  @JsonPropertyDescription("Delay before the first retry; doubles on each further one.")
  private String initialDelay = "10s";

  @Default("5m")
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
