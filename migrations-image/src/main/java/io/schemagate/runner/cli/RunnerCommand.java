package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.Redactor;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.DatabaseSession;
import io.schemagate.runner.engine.MigrationBundle;
import io.schemagate.runner.engine.RunnerSettings;
import io.schemagate.runner.engine.SqlFailure;
import io.schemagate.runner.engine.StateReadBack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

  /** What a database command does once its bundle is read and its session is open. */
  @FunctionalInterface
  interface SessionWork {
    void run(DatabaseSession session, MigrationBundle bundle, RunResult result) throws Exception;
  }

  /**
   * Reads the bundle (with the bundle's head in the result, so even a failure reports it), opens
   * the database session, runs {@code work} in it, and reads the history back however the work
   * ended (see {@link #readBack}).
   */
  final void inSession(RunResult result, SessionWork work) throws Exception {
    RunnerSettings settings = options.settings();
    // Reading and checksumming the files overlaps with connecting: both are start-up work
    // (class loading, a TCP and auth handshake) that would otherwise run one after the other.
    CompletableFuture<MigrationBundle> reading =
        CompletableFuture.supplyAsync(() -> MigrationBundle.read(settings.location()));
    DatabaseSession session;
    try {
      session =
          DatabaseSession.open(options.connector(ctx), settings, ctx.progress(), ctx.canceller());
    } catch (RuntimeException connectFailure) {
      // A broken bundle is the more useful error: it fails on every database. A readable one
      // still gives its head, which does not depend on the database.
      head(bundle(reading), result);
      throw connectFailure;
    }
    try (session) {
      MigrationBundle bundle = head(bundle(reading), result);
      runAndReadBack(session, bundle, result, work);
    }
  }

  private static MigrationBundle head(MigrationBundle bundle, RunResult result) {
    result.headRevision(bundle.head() == null ? null : bundle.head().versionText());
    return bundle;
  }

  /** Runs {@code work} in an open session, then {@link #readBack}s however it ended. */
  static void runAndReadBack(
      DatabaseSession session, MigrationBundle bundle, RunResult result, SessionWork work)
      throws Exception {
    try {
      work.run(session, bundle, result);
    } catch (Throwable failure) {
      try {
        readBack(session, bundle, result, false);
      } catch (Throwable readFailure) {
        failure.addSuppressed(readFailure);
      }
      throw failure;
    }
    readBack(session, bundle, result, true);
  }

  /**
   * Fills the result's revision, pending, future and applied fields from the history table as the
   * command left it, on every path: success, a failed statement, an Error, a cancelled run, a lost
   * connection. When the history cannot be read even over a fresh connection, the fields stay as
   * the session last read them and a warning says so; a command that had succeeded then fails as
   * DatabaseUnreachable, since it cannot tell where it left the database.
   */
  static void readBack(
      DatabaseSession session, MigrationBundle bundle, RunResult result, boolean succeeded) {
    Optional<String> unread = StateReadBack.fill(session, bundle, result);
    result.stateKnown(unread.isEmpty());
    Reports.warnFuture(result);
    if (unread.isEmpty()) {
      return;
    }
    result.warn(
        "the database state could not be re-read after the run ("
            + unread.get()
            + (session.lastRead() == null
                ? "); the run had not read the history either, so currentRevision, pending and"
                    + " applied say nothing about the database"
                : "); currentRevision, pending and applied are as last read during the run and may"
                    + " be out of date")
            + ": run info to see where the database is");
    if (succeeded) {
      throw new RunnerException(
          Reason.DatabaseUnreachable,
          "the "
              + result.command()
              + " command finished, but the database state could not be re-read afterwards: "
              + unread.get());
    }
  }

  private static MigrationBundle bundle(CompletableFuture<MigrationBundle> reading) {
    try {
      return reading.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

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
    boolean written = write(result);
    // The result file is how the operator learns the outcome: a run that could not leave it must
    // not exit 0, whatever it did.
    return written || !result.succeeded()
        ? result.exitCode()
        : Reason.ConfigurationInvalid.exitCode();
  }

  /** Prints the result and writes the result file; false when the file could not be written. */
  private boolean write(RunResult result) {
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
        ctx.err()
            .println(
                "error: cannot write the result to --result-file "
                    + options.resultFile
                    + " ("
                    + e
                    + "); the "
                    + name()
                    + (result.succeeded() ? " command itself succeeded" : " command itself failed")
                    + ", its result is on stdout");
        return false;
      }
    }
    return true;
  }
}
