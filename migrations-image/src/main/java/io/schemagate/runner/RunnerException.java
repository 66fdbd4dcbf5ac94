package io.schemagate.runner;

/**
 * A failure with a known {@link Reason}. Its message is shown to users, so it must never carry a
 * password; {@link Redactor} is applied again when the result is written.
 */
public class RunnerException extends RuntimeException {
  private final Reason reason;
  private final FailureDetail detail;

  public RunnerException(Reason reason, String message) {
    this(reason, message, FailureDetail.NONE, null);
  }

  public RunnerException(Reason reason, String message, Throwable cause) {
    this(reason, message, FailureDetail.NONE, cause);
  }

  public RunnerException(Reason reason, String message, FailureDetail detail, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.detail = detail == null ? FailureDetail.NONE : detail;
  }

  public Reason reason() {
    return reason;
  }

  public FailureDetail detail() {
    return detail;
  }
}
