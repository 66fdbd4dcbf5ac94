package io.schemagate.operator.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The operator's SLF4J 2 binding: text lines as slf4j-simple wrote them, or JSON lines for log
 * pipelines ({@link LogFormat}). Found by SLF4J through {@code META-INF/services}.
 */
public final class SchemaGateServiceProvider implements SLF4JServiceProvider {
  private ILoggerFactory loggerFactory;
  private IMarkerFactory markerFactory;

  @Override
  public void initialize() {
    loggerFactory =
        new SchemaGateLoggerFactory(
            LogLevels.load(SchemaGateServiceProvider.class.getClassLoader(), System.getenv()));
    markerFactory = new BasicMarkerFactory();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    // Neither the operator nor its libraries put anything in the MDC that a line should carry.
    return new NOPMDCAdapter();
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
