package io.schemagate.operator.logging;

import java.util.Map;

/**
 * The operator's logging options: {@code --log-format text|json} or {@value #FORMAT_ENV} (the
 * argument wins; default text), and {@value LogLevels#ENV}, the default level.
 */
public record LogSettings(LogFormat format) {
  public static final String FORMAT_ENV = "SCHEMAGATE_LOG_FORMAT";
  public static final String FORMAT_ARG = "--log-format";

  /**
   * Reads the options; throws {@link IllegalArgumentException} for an unknown format or level, or a
   * {@code --log-format} without a value. Other arguments are not this class's.
   */
  public static LogSettings from(String[] args, Map<String, String> env) {
    String level = env.get(LogLevels.ENV);
    if (level != null && !level.isBlank()) {
      try {
        LogLevels.parse(level);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(LogLevels.ENV + ": " + e.getMessage());
      }
    }
    String arg = argument(args);
    if (arg != null) {
      return new LogSettings(parse(FORMAT_ARG, arg));
    }
    String value = env.get(FORMAT_ENV);
    return new LogSettings(
        value == null || value.isBlank() ? LogFormat.TEXT : parse(FORMAT_ENV, value));
  }

  /** Makes every line from now on use these settings. */
  public void apply() {
    LogOutput.use(format);
  }

  private static String argument(String[] args) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith(FORMAT_ARG + "=")) {
        value = args[i].substring(FORMAT_ARG.length() + 1);
      } else if (args[i].equals(FORMAT_ARG)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(FORMAT_ARG + " needs a value: text or json");
        }
        value = args[++i];
      }
    }
    return value;
  }

  private static LogFormat parse(String where, String value) {
    try {
      return LogFormat.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
