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
import java.util.ArrayList;
import java.util.List;

/**
 * The frame every command runs in: it times the command, turns any failure into a reason and an
 * exit code, strips credentials, and writes the result (stdout, and the result file even on
 * failure, because the operator reads it from the pod's termination message).
 */
abstract class RunnerCommand {
  CommonOptions options;

  final RunnerContext ctx;

  RunnerCommand(RunnerContext ctx) {
    this.ctx = ctx;
  }

  /** The command's name on the command line and in the result JSON. */
  abstract String name();

  /** One line for help. */
  abstract String summary();

  /** The command's own options, besides the common ones. */
  List<OptionSpec> ownOptions() {
    return List.of();
  }

  /** How many positional arguments it takes: 0 none, -1 any number. */
  int positionals() {
    return 0;
  }

  /** How help names the positional arguments. */
  String positionalLabel() {
    return "";
  }

  /** Every option the command accepts. */
  final List<OptionSpec> allOptions() {
    List<OptionSpec> all = new ArrayList<>(ownOptions());
    all.addAll(CommonOptions.SPECS);
    return all;
  }

  /** Takes the parsed command line; called once before {@link #call()}. */
  void bind(ParsedArguments args) throws UsageException {
    options = new CommonOptions(args);
  }

  /** Does the work, filling {@code result}; throws to fail. */
  abstract void run(RunResult result) throws Exception;

  /** The human-readable report on stdout for {@code --output text}. */
  abstract void printText(RunResult result);

  /** Runs the command and returns the process exit code; never throws. */
  final int call() {
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
