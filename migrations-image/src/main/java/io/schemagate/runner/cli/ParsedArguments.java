package io.schemagate.runner.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options and positional arguments of one command line, checked against the command's specs.
 */
final class ParsedArguments {
  private final Map<String, OptionSpec> specs;
  private final Map<String, List<String>> values = new HashMap<>();
  private final List<String> positionals = new ArrayList<>();
  private boolean help;

  private ParsedArguments(Map<String, OptionSpec> specs) {
    this.specs = specs;
  }

  /**
   * Parses {@code args} from index {@code from} on.
   *
   * @param positional how many positional arguments are allowed: 0 for none, -1 for any number
   * @throws UsageException for an unknown option, a missing value, a repeated single option, a
   *     missing required option, or a positional argument where none is allowed
   */
  static ParsedArguments parse(List<OptionSpec> specList, int positional, String[] args, int from)
      throws UsageException {
    Map<String, OptionSpec> specs = new HashMap<>();
    for (OptionSpec s : specList) {
      specs.put(s.name(), s);
    }
    ParsedArguments parsed = new ParsedArguments(specs);
    boolean onlyPositionals = false;
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (onlyPositionals || !arg.startsWith("-") || arg.equals("-")) {
        parsed.positionals.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        parsed.help = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      OptionSpec spec = specs.get(name);
      if (spec == null) {
        throw new UsageException("unknown option " + name);
      }
      String value;
      if (spec.isFlag()) {
        if (eq > 0) {
          throw new UsageException(name + " takes no value");
        }
        value = "true";
      } else if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(name + " needs a value (" + spec.label() + ")");
      }
      List<String> list = parsed.values.computeIfAbsent(name, k -> new ArrayList<>());
      if (!list.isEmpty() && !spec.repeatable() && !spec.isFlag()) {
        throw new UsageException(name + " is given more than once");
      }
      list.add(value);
    }
    if (parsed.help) {
      return parsed;
    }
    for (OptionSpec s : specList) {
      if (s.required() && !parsed.values.containsKey(s.name())) {
        throw new UsageException("missing required option " + s.name() + " " + s.label());
      }
    }
    if (positional == 0 && !parsed.positionals.isEmpty()) {
      throw new UsageException("unexpected argument (this command takes options only)");
    }
    return parsed;
  }

  /** Whether {@code --help} was asked for. */
  boolean help() {
    return help;
  }

  /** The option's value, its default, or null. */
  String value(String name) {
    List<String> list = values.get(name);
    if (list != null && !list.isEmpty()) {
      return list.get(list.size() - 1);
    }
    OptionSpec spec = specs.get(name);
    return spec == null ? null : spec.defaultValue();
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** Every value given for a repeatable option, in order. */
  List<String> values(String name) {
    return values.getOrDefault(name, List.of());
  }

  List<String> positionals() {
    return positionals;
  }
}
