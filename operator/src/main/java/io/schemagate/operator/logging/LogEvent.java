package io.schemagate.operator.logging;

import java.time.Instant;
import org.slf4j.event.Level;

/** One logging call, its message formatted: what every format writes from. */
record LogEvent(
    Instant time, Level level, String logger, String thread, String message, Throwable error) {}
