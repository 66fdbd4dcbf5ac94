package io.schemagate.runner.cli;

import io.schemagate.runner.Reason;
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
          ctx.err().println("error: " + ex.getMessage());
          ex.getCommandLine().usage(ctx.err());
          return Reason.ConfigurationInvalid.exitCode();
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ex.printStackTrace(ctx.err());
          return Reason.InternalError.exitCode();
        });
    return cl.execute(args);
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
