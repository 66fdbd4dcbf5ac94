package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A bundle's own settings, {@code schemagate.conf} beside its SQL files (Java properties syntax):
 * {@code historyTable}, {@code outOfOrder} and {@code placeholders.<name>}. Unknown keys are an
 * error, so a typo does not silently change nothing.
 */
public record BundleConfig(
    String historyTable, boolean outOfOrder, Map<String, String> placeholders) {
  public static final String FILE_NAME = "schemagate.conf";
  private static final Set<String> KEYS = Set.of("historyTable", "outOfOrder");

  public static BundleConfig read(Path location) {
    Path file = location.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return new BundleConfig(null, false, Map.of());
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, FILE_NAME + " cannot be read: " + e.getMessage());
    }
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      if (key.startsWith("placeholders.") && key.length() > "placeholders.".length()) {
        placeholders.put(key.substring("placeholders.".length()), props.getProperty(key));
      } else if (!KEYS.contains(key)) {
        throw new RunnerException(
            Reason.ConfigurationInvalid,
            FILE_NAME
                + ": unknown setting '"
                + key
                + "' (known: historyTable, outOfOrder, placeholders.<name>)");
      }
    }
    String outOfOrder = props.getProperty("outOfOrder", "false").trim();
    if (!outOfOrder.equals("true") && !outOfOrder.equals("false")) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, FILE_NAME + ": outOfOrder must be true or false");
    }
    String table = props.getProperty("historyTable");
    if (table != null && !table.matches("[A-Za-z_][A-Za-z0-9_$]{0,62}")) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, FILE_NAME + ": historyTable must be a plain identifier");
    }
    return new BundleConfig(table, Boolean.parseBoolean(outOfOrder), placeholders);
  }
}
