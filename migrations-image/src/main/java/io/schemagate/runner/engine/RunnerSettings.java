package io.schemagate.runner.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a database command needs besides the connection, resolved from options and
 * schemagate.conf.
 */
public record RunnerSettings(
    Path location,
    List<String> schemas,
    String historyTable,
    Duration lockTimeout,
    Duration lockWait,
    Placeholders placeholders,
    boolean outOfOrder) {

  public static final String DEFAULT_HISTORY_TABLE = "flyway_schema_history";
}
