package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
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
   * Replaces every reference in a script; {@code builtIns} supplies Flyway's {@code flyway:*} names
   * (defaultSchema, user, database, table, filename).
   *
   * @throws RunnerException ConfigurationInvalid naming the first unknown placeholder and its file
   */
  public String apply(String text, String script, Map<String, String> builtIns) {
    if (!enabled()) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String name = m.group(1);
      String value = values.containsKey(name) ? values.get(name) : builtIns.get(name);
      if (value == null) {
        int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
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
}
