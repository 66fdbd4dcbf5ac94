package io.schemagate.runner.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Prepares the scripts of a run on a second thread, in order, while the session thread applies the
 * ones before: lexing a script (and the JIT warming up on the lexer) then overlaps with the server
 * executing the previous one instead of adding to it. A script that fails to parse fails when the
 * run reaches it, exactly as if it had been parsed there, so the migrations before it are still
 * applied.
 *
 * <p>Memory stays bounded: the thread holds at most {@link #BUDGET_BYTES} of prepared scripts that
 * the run has not reached, counted by file size, and waits for the run to catch up; a script too
 * large to keep costs nothing, since it keeps no statements (see {@link PreparedScript}).
 */
final class ParseAhead implements AutoCloseable {
  static final long BUDGET_BYTES = 4 * PreparedScript.IN_MEMORY_BYTES;

  private final List<MigrationScript> scripts;
  private final List<CompletableFuture<PreparedScript>> prepared;
  private final Semaphore budget = new Semaphore((int) (BUDGET_BYTES / 1024));
  private final Thread thread;
  private int released;

  ParseAhead(List<MigrationScript> scripts, Function<MigrationScript, PreparedScript> parser) {
    this.scripts = scripts;
    this.prepared = scripts.stream().map(s -> new CompletableFuture<PreparedScript>()).toList();
    this.thread =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < scripts.size(); i++) {
                  budget.acquire(cost(scripts.get(i)));
                  try {
                    prepared.get(i).complete(parser.apply(scripts.get(i)));
                  } catch (RuntimeException | Error e) {
                    prepared.get(i).completeExceptionally(e);
                  }
                }
              } catch (InterruptedException e) {
                // closed: the run is over
              }
            },
            "schemagate-parse");
    thread.setDaemon(true);
    thread.start();
  }

  /** Permits, in KiB, that a prepared script holds while it waits to be applied. */
  private static int cost(MigrationScript script) {
    long kept = script.size() <= PreparedScript.IN_MEMORY_BYTES ? script.size() : 0;
    return (int) Math.max(1, (kept + 1023) / 1024);
  }

  /**
   * The prepared form of the {@code index}-th script; rethrows its parse failure. Asking for it
   * means the scripts before it are done with, and their budget goes back to the thread.
   */
  PreparedScript get(int index) {
    while (released < index) {
      budget.release(cost(scripts.get(released++)));
    }
    try {
      return prepared.get(index).join();
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
    thread.interrupt();
  }
}
