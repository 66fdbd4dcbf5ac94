package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.Redactor;
import io.schemagate.runner.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code schemagate-runner} command line: parses arguments and runs one command. */
@Command(
    name = "schemagate-runner",
    mixinStandardHelpOptions = true,
    versionProvider = RunnerCli.Version.class,
    description = "Applies, inspects, undoes, repairs, lints and verifies Flyway SQL migrations.",
    footer = {
      "",
      "Exit codes: 0 success, 1 migration failed, 2 usage or configuration, 3 database unreachable,",
      "4 validation failed, 5 lint failed, 6 lock not acquired, 7 authentication failed,",
      "8 undo unavailable or downgrade refused, 9 verify mismatch, 70 internal error."
    })
public final class RunnerCli implements Runnable {
  private final RunnerContext ctx;

  private RunnerCli(RunnerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    ctx.err().println("a command is required; see --help");
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command");
  }

  /** Runs one command line and returns the process exit code. */
  public static int execute(RunnerContext ctx, String... args) {
    CommandLine cl = new CommandLine(new RunnerCli(ctx));
    cl.addSubcommand(new MigrateCommand(ctx));
    cl.addSubcommand(new InfoCommand(ctx));
    cl.addSubcommand(new ValidateCommand(ctx));
    cl.addSubcommand(new UndoCommand(ctx));
    cl.addSubcommand(new RepairCommand(ctx));
    cl.addSubcommand(new BaselineCommand(ctx));
    cl.addSubcommand(new LintCommand(ctx));
    cl.addSubcommand(new VerifyCommand(ctx));
    cl.addSubcommand(new NewCommand(ctx));
    cl.setOut(new java.io.PrintWriter(ctx.out(), true));
    cl.setErr(new java.io.PrintWriter(ctx.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, arguments) -> {
          // A refused --password may sit where picocli cannot match it; its message lists it.
          Redactor redactor = new Redactor(optionValue(arguments, "--password"));
          String message = redactor.redact(ex.getMessage());
          ctx.err().println("error: " + message);
          ex.getCommandLine().usage(ctx.err());
          writeUsageError(ctx, ex.getCommandLine().getCommandName(), message, arguments);
          return Reason.ConfigurationInvalid.exitCode();
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ex.printStackTrace(ctx.err());
          return Reason.InternalError.exitCode();
        });
    return cl.execute(args);
  }

  /**
   * A usage error still produces a result where one was asked for, so the operator reads
   * ConfigurationInvalid (stalled at once) rather than a missing result (retried).
   */
  private static void writeUsageError(
      RunnerContext ctx, String command, String message, String[] args) {
    RunResult result =
        new RunResult(command).fail(Reason.ConfigurationInvalid, message, FailureDetail.NONE);
    if ("json".equals(optionValue(args, "--output"))) {
      ctx.out().println(result.toJson());
    }
    String resultFile = optionValue(args, "--result-file");
    if (resultFile != null) {
      try {
        Files.writeString(Path.of(resultFile), result.toCompactJson(), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        ctx.err().println("warning: cannot write result file " + resultFile + ": " + e);
      }
    }
  }

  /**
   * The value given to an option anywhere on the command line ({@code --x v} or {@code --x=v}), or
   * null.
   */
  static String optionValue(String[] args, String option) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith(option + "=")) {
        return args[i].substring(option.length() + 1);
      }
      if (args[i].equals(option) && i + 1 < args.length) {
        return args[i + 1];
      }
    }
    return null;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RunnerCli.class.getPackage().getImplementationVersion();
      return new String[] {"schemagate-runner " + (v == null ? "development" : v)};
    }
  }
}
