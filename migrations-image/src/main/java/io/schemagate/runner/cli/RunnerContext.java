package io.schemagate.runner.cli;

import io.schemagate.runner.engine.Progress;
import io.schemagate.runner.engine.StatementCanceller;
import java.io.PrintStream;
import java.util.Map;

/** What a command may use from its process: environment, streams, and the cancellation hook. */
public record RunnerContext(
    Map<String, String> env, PrintStream out, PrintStream err, StatementCanceller canceller) {

  public Progress progress() {
    return new Progress(err);
  }
}
