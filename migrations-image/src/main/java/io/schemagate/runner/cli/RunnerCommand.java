package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.Redactor;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.SqlFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The frame every command runs in: it times the command, turns any failure into a reason and an
 * exit code, strips credentials, and writes the result (stdout, and the result file even on
 * failure, because the operator reads it from the pod's termination message).
 */
abstract class RunnerCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  final RunnerContext ctx;

  RunnerCommand(RunnerContext ctx) {
    this.ctx = ctx;
  }

  /** The command's name in the result JSON. */
  abstract String name();

  /** Does the work, filling {@code result}; throws to fail. */
  abstract void run(RunResult result) throws Exception;

  /** The human-readable report on stdout for {@code --output text}. */
  abstract void printText(RunResult result);

  @Override
  public final Integer call() {
    long start = System.nanoTime();
    RunResult result = new RunResult(name());
    Redactor redactor = new Redactor(null);
    try {
      options.check();
      redactor = new Redactor(options.password(ctx.env()));
      run(result);
    } catch (RunnerException e) {
      result.fail(e.reason(), e.getMessage(), e.detail());
    } catch (SQLException e) {
      result.fail(SqlFailure.statementReason(e), SqlFailure.describe(e), FailureDetail.NONE);
    } catch (Exception | Error e) {
      result.fail(
          Reason.InternalError,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          FailureDetail.NONE);
      e.printStackTrace(ctx.err());
    }
    result.durationMs((System.nanoTime() - start) / 1_000_000);
    result.redact(redactor);
    write(result);
    return result.exitCode();
  }

  private void write(RunResult result) {
    if (options.json()) {
      ctx.out().println(result.toJson());
    } else {
      printText(result);
      if (!result.succeeded()) {
        ctx.err().println("error: " + result.errorReason() + ": " + result.errorMessage());
      }
    }
    ctx.out().flush();
    if (options.resultFile != null) {
      try {
        Files.writeString(options.resultFile, result.toCompactJson(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        ctx.err().println("warning: cannot write result file " + options.resultFile + ": " + e);
      }
    }
  }
}
