package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.io.Reader;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway-style {@code ${name}} placeholders. Replacement is off unless at least one placeholder is
 * configured, so SQL that happens to contain {@code ${...}} (e.g. in a PL/pgSQL body) runs as
 * written by default.
 */
public final class Placeholders {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");

  private final Map<String, String> values;

  public Placeholders(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  public boolean enabled() {
    return !values.isEmpty();
  }

  /**
   * {@code text} as it reads with every reference replaced, chunk by chunk; {@code builtIns}
   * supplies Flyway's {@code flyway:*} names (defaultSchema, user, database, table, filename).
   * Without placeholders it is {@code text} itself. A reference with no value fails the read with
   * ConfigurationInvalid naming the placeholder, the file and the line.
   */
  public Reader replacing(Reader text, String script, Map<String, String> builtIns) {
    return enabled() ? new PlaceholderReader(text, this, script, builtIns) : text;
  }

  /**
   * Replaces every reference in one piece of a script whose first line is {@code firstLine}.
   *
   * @throws RunnerException ConfigurationInvalid naming the first unknown placeholder and its file
   */
  String replace(String text, int firstLine, String script, Map<String, String> builtIns) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String name = m.group(1);
      String value = values.containsKey(name) ? values.get(name) : builtIns.get(name);
      if (value == null) {
        int line =
            firstLine + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
        throw new RunnerException(
            Reason.ConfigurationInvalid,
            script
                + " line "
                + line
                + ": no value for placeholder ${"
                + name
                + "} (pass --placeholder "
                + name
                + "=VALUE)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * How much of {@code text} can be replaced now without cutting a reference that the next chunk
   * completes: all of it, unless it ends in {@code $}, {@code ${} or {@code ${name} without the
   * closing brace.
   */
  static int completeUpTo(CharSequence text) {
    int dollar = text.length() - 1;
    while (dollar >= 0 && text.charAt(dollar) != '$') {
      dollar--;
    }
    if (dollar < 0) {
      return text.length();
    }
    if (dollar + 1 < text.length() && text.charAt(dollar + 1) != '{') {
      return text.length();
    }
    for (int i = dollar + 2; i < text.length(); i++) {
      if (!isNameChar(text.charAt(i))) {
        return text.length();
      }
    }
    return dollar;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == ':'
        || c == '-';
  }
}
