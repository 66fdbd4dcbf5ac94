package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.Redactor;
import io.schemagate.runner.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code schemagate-runner} command line: finds the command, parses its options, runs it.
 * Hand-written rather than a reflective CLI library: a migration Job's whole run is often under a
 * second, and building a reflective model cost 0.12–0.15 s of it (measured, docs/benchmarks.md).
 */
public final class RunnerCli {
  static final String NAME = "schemagate-runner";

  private static final String EXIT_CODES =
      "Exit codes: 0 success, 1 migration failed, 2 usage or configuration, 3 database"
          + " unreachable,\n4 validation failed, 5 lint failed, 6 lock not acquired, 7 authentication"
          + " failed,\n8 undo unavailable or downgrade refused, 9 verify mismatch, 10 wait timed out,"
          + " 70 internal error.";

  private RunnerCli() {}

  /** Runs one command line and returns the process exit code. */
  public static int execute(RunnerContext ctx, String... args) {
    Map<String, Function<RunnerContext, RunnerCommand>> commands = commands();
    if (args.length == 0) {
      return usageError(ctx, null, "a command is required", args);
    }
    String first = args[0];
    if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
      printHelp(ctx.out(), commands, ctx);
      return 0;
    }
    if (first.equals("--version") || first.equals("-V")) {
      ctx.out().println(version());
      return 0;
    }
    Function<RunnerContext, RunnerCommand> factory = commands.get(first);
    if (factory == null) {
      // Never echo an option here: "--password VALUE migrate" must not print the value.
      String what =
          first.startsWith("-")
              ? "option " + (first.contains("=") ? first.substring(0, first.indexOf('=')) : first)
              : "'" + first + "'";
      return usageError(ctx, null, "expected a command first, got " + what + "; see --help", args);
    }
    RunnerCommand command = factory.apply(ctx);
    ParsedArguments parsed;
    try {
      parsed = ParsedArguments.parse(command.allOptions(), command.positionals(), args, 1);
      if (parsed.help()) {
        printCommandHelp(ctx.out(), command);
        return 0;
      }
      command.bind(parsed);
    } catch (UsageException e) {
      printCommandHelp(ctx.err(), command);
      return usageError(ctx, command.name(), e.getMessage(), args);
    }
    return command.call();
  }

  /** Every command, in the order help lists them. */
  private static Map<String, Function<RunnerContext, RunnerCommand>> commands() {
    Map<String, Function<RunnerContext, RunnerCommand>> commands = new LinkedHashMap<>();
    commands.put("migrate", MigrateCommand::new);
    commands.put("info", InfoCommand::new);
    commands.put("validate", ValidateCommand::new);
    commands.put("undo", UndoCommand::new);
    commands.put("repair", RepairCommand::new);
    commands.put("baseline", BaselineCommand::new);
    commands.put("lint", LintCommand::new);
    commands.put("verify", VerifyCommand::new);
    commands.put("new", NewCommand::new);
    commands.put("wait", WaitCommand::new);
    return commands;
  }

  /**
   * Reports a usage error on stderr and, where one was asked for, as a result: the operator then
   * reads ConfigurationInvalid (stalled at once) rather than a missing result (retried).
   */
  private static int usageError(RunnerContext ctx, String command, String message, String[] args) {
    String text = new Redactor(optionValue(args, "--password")).redact(message);
    ctx.err().println("error: " + text);
    RunResult result =
        new RunResult(command == null ? "unknown" : command)
            .fail(Reason.ConfigurationInvalid, text, FailureDetail.NONE);
    if ("json".equals(optionValue(args, "--output"))) {
      ctx.out().println(result.toJson());
    }
    String resultFile = optionValue(args, "--result-file");
    if (resultFile != null) {
      try {
        Files.writeString(Path.of(resultFile), result.toCompactJson(), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        ctx.err()
            .println(
                "error: cannot write the result to --result-file " + resultFile + " (" + e + ")");
      }
    }
    return Reason.ConfigurationInvalid.exitCode();
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

  static String version() {
    String v = RunnerCli.class.getPackage().getImplementationVersion();
    return NAME + " " + (v == null ? "development" : v);
  }

  private static void printHelp(
      PrintStream out,
      Map<String, Function<RunnerContext, RunnerCommand>> commands,
      RunnerContext ctx) {
    out.println("Usage: " + NAME + " <command> [options]");
    out.println();
    out.println("Applies, inspects, undoes, repairs, lints and verifies Flyway SQL migrations.");
    out.println();
    out.println("Commands:");
    for (Function<RunnerContext, RunnerCommand> f : commands.values()) {
      RunnerCommand c = f.apply(ctx);
      out.printf("  %-10s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("Options of every command:");
    printOptions(out, CommonOptions.SPECS);
    out.println();
    out.println("'" + NAME + " <command> --help' lists a command's own options.");
    out.println(EXIT_CODES);
  }

  private static void printCommandHelp(PrintStream out, RunnerCommand command) {
    String positional = command.positionalLabel().isEmpty() ? "" : " " + command.positionalLabel();
    out.println("Usage: " + NAME + " " + command.name() + " [options]" + positional);
    out.println();
    out.println(command.summary());
    if (!command.ownOptions().isEmpty()) {
      out.println();
      out.println("Options:");
      printOptions(out, command.ownOptions());
    }
    out.println();
    out.println("Options of every command:");
    printOptions(out, CommonOptions.SPECS);
    out.println();
    out.println(EXIT_CODES);
  }

  private static void printOptions(PrintStream out, List<OptionSpec> specs) {
    for (OptionSpec s : specs) {
      if (s.hidden()) {
        continue;
      }
      String left = s.isFlag() ? s.name() : s.name() + " " + s.label();
      String right =
          s.description()
              + (s.defaultValue() == null ? "" : " (default: " + s.defaultValue() + ")")
              + (s.required() ? " (required)" : "")
              + (s.repeatable() ? " (repeatable)" : "");
      out.printf("  %-24s %s%n", left, right);
    }
  }
}
