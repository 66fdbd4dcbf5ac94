package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.Durations;
import io.schemagate.api.v1alpha1.RetrySpec;
import java.time.Duration;

/** Exponential backoff of transient failures: initialDelay, doubling, capped at maxDelay. */
public final class RetryBackoff {
  private final int limit;
  private final Duration initialDelay;
  private final Duration maxDelay;

  public RetryBackoff(int limit, Duration initialDelay, Duration maxDelay) {
    this.limit = limit;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  /** The backoff of a spec's retry section; missing values take the API defaults. */
  public static RetryBackoff of(RetrySpec retry) {
    RetrySpec r = retry == null ? new RetrySpec() : retry;
    RetrySpec defaults = new RetrySpec();
    return new RetryBackoff(
        r.getLimit() == null ? defaults.getLimit() : r.getLimit(),
        Durations.parse(
            r.getInitialDelay() == null ? defaults.getInitialDelay() : r.getInitialDelay()),
        Durations.parse(r.getMaxDelay() == null ? defaults.getMaxDelay() : r.getMaxDelay()));
  }

  /** Whether a transient failure of attempt {@code attempt} (from 1) may be retried. */
  public boolean mayRetry(int attempt) {
    return attempt <= limit;
  }

  /** The delay before the retry that follows failed attempt {@code attempt} (from 1). */
  public Duration delayAfter(int attempt) {
    Duration delay = initialDelay;
    for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
