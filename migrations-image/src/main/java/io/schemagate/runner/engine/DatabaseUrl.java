package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The JDBC URL, checked before the first connection attempt: it must be a PostgreSQL URL the driver
 * can parse, carry no credentials (the password belongs in SCHEMAGATE_PASSWORD or a file, where no
 * process list or log shows it), and name only parameters the driver knows, since pgjdbc silently
 * ignores the others (a mistyped {@code sslmod=require} would connect without TLS). Messages never
 * repeat the URL.
 */
final class DatabaseUrl {
  private static final Pattern USER_INFO = Pattern.compile("^jdbc:postgresql://[^/?#]*@");

  /** What the driver's URL parser adds besides the query's own parameters. */
  private static final Set<String> PARSED_PARTS = Set.of("PGHOST", "PGPORT", "PGDBNAME");

  private DatabaseUrl() {}

  /**
   * @throws RunnerException ConfigurationInvalid saying what is wrong, without the URL
   */
  static void check(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("no database URL: pass --url or set SCHEMAGATE_URL");
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw invalid("unsupported database URL (expected jdbc:postgresql://host:port/database)");
    }
    if (USER_INFO.matcher(url).find()) {
      throw invalid(
          "the database URL carries credentials before the host (user:password@host); put the"
              + " user in --user or SCHEMAGATE_USER and the password in SCHEMAGATE_PASSWORD or"
              + " --password-file");
    }
    if (url.toLowerCase(Locale.ROOT).contains("password=")) {
      throw invalid(
          "the database URL carries a password (password=...); put it in SCHEMAGATE_PASSWORD or"
              + " --password-file instead, where process lists and logs do not show it");
    }
    Properties parsed = Driver.parseURL(url, null);
    if (parsed == null) {
      throw invalid(
          "the database URL cannot be parsed (expected"
              + " jdbc:postgresql://host:port/database?parameter=value&...)");
    }
    TreeSet<String> unknown = new TreeSet<>();
    for (String name : parsed.stringPropertyNames()) {
      if (!PARSED_PARTS.contains(name) && PGProperty.forName(name) == null) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw invalid(
          "the database URL has parameters the PostgreSQL driver does not know: "
              + String.join(", ", unknown)
              + " (it would ignore them; check the spelling against the pgjdbc documentation)");
    }
  }

  private static RunnerException invalid(String message) {
    return new RunnerException(Reason.ConfigurationInvalid, message);
  }
}
