package io.schemagate.operator.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One logger per name, each at the level {@link LogLevels} gives its name. */
final class SchemaGateLoggerFactory implements ILoggerFactory {
  private final ConcurrentMap<String, SchemaGateLogger> loggers = new ConcurrentHashMap<>();
  private volatile LogLevels levels;

  SchemaGateLoggerFactory(LogLevels levels) {
    this.levels = levels;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new SchemaGateLogger(n, levels.thresholdOf(n)));
  }

  LogLevels levels() {
    return levels;
  }

  /** New levels for every logger, those that exist and those to come. */
  synchronized void use(LogLevels newLevels) {
    levels = newLevels;
    loggers.forEach((name, logger) -> logger.threshold(newLevels.thresholdOf(name)));
  }
}
