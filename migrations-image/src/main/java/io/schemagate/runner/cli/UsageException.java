package io.schemagate.runner.cli;

/** The command line cannot be understood; the message says why without echoing option values. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
