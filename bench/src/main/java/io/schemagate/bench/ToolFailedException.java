package io.schemagate.bench;

import java.nio.file.Path;

/** A measured tool did not run correctly: the bench stops and exits non-zero. */
final class ToolFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ToolFailedException(String message, Path log) {
    super(message + "\n--- last output (" + log + ") ---\n" + TimedProcess.tail(log, 40));
  }

  ToolFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
