package io.schemagate.operator.logging;

import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A named logger that writes the calls at or above its threshold to {@link LogOutput}. */
final class SchemaGateLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private volatile int threshold;

  SchemaGateLogger(String name, int threshold) {
    this.name = name;
    this.threshold = threshold;
  }

  void threshold(int t) {
    threshold = t;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    LogOutput.write(
        new LogEvent(
            Instant.now(),
            level,
            name,
            Thread.currentThread().getName(),
            String.valueOf(MessageFormatter.basicArrayFormat(pattern, arguments)),
            error));
  }
}
