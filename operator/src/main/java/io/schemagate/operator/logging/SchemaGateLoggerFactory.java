package io.schemagate.operator.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One logger per name, each with its level fixed when it is first asked for. */
final class SchemaGateLoggerFactory implements ILoggerFactory {
  private final LogLevels levels;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

  SchemaGateLoggerFactory(LogLevels levels) {
    this.levels = levels;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new SchemaGateLogger(n, levels.thresholdOf(n)));
  }
}
