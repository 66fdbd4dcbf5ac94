package io.schemagate.runner;

import io.schemagate.runner.cli.RunnerCli;
import io.schemagate.runner.cli.RunnerContext;
import io.schemagate.runner.engine.StatementCanceller;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code schemagate-runner} process. On SIGTERM (a pod being stopped, a Job deadline) it
 * cancels the running statement, lets the command write its result, and exits with the command's
 * own exit code instead of dying mid-statement.
 */
public final class Main {
  /** How long a terminating runner waits for the cancelled command to write its result. */
  private static final long TERMINATION_GRACE_SECONDS = 20;

  private Main() {}

  public static void main(String[] args) {
    StatementCanceller canceller = new StatementCanceller();
    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(Reason.InternalError.exitCode());
    Thread onTerm =
        new Thread(
            () -> {
              if (finished.getCount() == 0) {
                return;
              }
              System.err.println("Termination requested: cancelling the running statement");
              canceller.cancel();
              try {
                if (finished.await(TERMINATION_GRACE_SECONDS, TimeUnit.SECONDS)) {
                  System.out.flush();
                  Runtime.getRuntime().halt(exitCode.get());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "schemagate-termination");
    Runtime.getRuntime().addShutdownHook(onTerm);
    int code =
        RunnerCli.execute(
            new RunnerContext(System.getenv(), System.out, System.err, canceller), args);
    exitCode.set(code);
    finished.countDown();
    System.out.flush();
    System.exit(code);
  }
}
