package io.schemagate.runner.engine;

import io.schemagate.runner.sql.SqlScript;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Parses the scripts of a run on a second thread, in order, while the session thread applies the
 * ones before: lexing a script (and the JIT warming up on the lexer) then overlaps with the server
 * executing the previous one instead of adding to it. A script that fails to parse fails when the
 * run reaches it, exactly as if it had been parsed there, so the migrations before it are still
 * applied.
 */
final class ParseAhead implements AutoCloseable {
  private final List<CompletableFuture<SqlScript>> parsed;
  private volatile boolean closed;

  ParseAhead(List<MigrationScript> scripts, Function<MigrationScript, SqlScript> parser) {
    this.parsed = scripts.stream().map(s -> new CompletableFuture<SqlScript>()).toList();
    Thread thread =
        new Thread(
            () -> {
              for (int i = 0; i < scripts.size() && !closed; i++) {
                try {
                  parsed.get(i).complete(parser.apply(scripts.get(i)));
                } catch (RuntimeException | Error e) {
                  parsed.get(i).completeExceptionally(e);
                }
              }
            },
            "schemagate-parse");
    thread.setDaemon(true);
    thread.start();
  }

  /** The parsed form of the {@code index}-th script; rethrows its parse failure. */
  SqlScript get(int index) {
    try {
      return parsed.get(index).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
