package io.schemagate.operator.migration;

import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.util.Locale;

/**
 * What two SchemaMigrations must not share: a database (hosts, port, name) and the schema that
 * holds its history table. An empty schema list means the connection's default, taken to be {@code
 * public}, PostgreSQL's default search path.
 *
 * <p>Hosts are named as a pod in the resource's namespace resolves them: a name without a dot is a
 * Service of that namespace ({@code orders-db} in {@code shop} is {@code
 * orders-db.shop.svc.cluster.local}), so the same short name in two namespaces is two databases;
 * {@code NAME.NS.svc} is {@code NAME.NS.svc.cluster.local}.
 */
public record DatabaseTarget(String database, String schema) {
  private static final String PREFIX = "jdbc:postgresql://";

  /** One string per target, for indexing resources by target. */
  public String key() {
    return database + "|" + schema;
  }

  /** The target of a resource, or null when it has no spec or no PostgreSQL JDBC URL. */
  public static DatabaseTarget of(SchemaMigration sm) {
    return sm.getSpec() == null
        ? null
        : of(sm.getSpec().getDatabase(), sm.getMetadata().getNamespace());
  }

  /**
   * The target of a spec of a resource in {@code namespace}, or null when its URL is not a
   * PostgreSQL JDBC URL.
   */
  public static DatabaseTarget of(DatabaseSpec db, String namespace) {
    if (db == null || db.getUrl() == null) {
      return null;
    }
    String url = db.getUrl().trim();
    if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String rest = url.substring(PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? "" : rest.substring(slash + 1);
    StringBuilder normalized = new StringBuilder();
    for (String host : hosts.split(",")) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.isEmpty()) {
        continue;
      }
      if (normalized.length() > 0) {
        normalized.append(',');
      }
      // An IPv6 literal carries colons of its own; only a colon after its bracket is a port.
      int colon = h.lastIndexOf(':');
      boolean hasPort = colon > h.lastIndexOf(']');
      String name = hasPort ? h.substring(0, colon) : h;
      String port = hasPort ? h.substring(colon) : ":5432";
      normalized.append(serviceName(name, namespace)).append(port);
    }
    var schemas = db.getSchemas();
    String schema = schemas == null || schemas.isEmpty() ? "public" : schemas.get(0);
    return new DatabaseTarget(normalized + "/" + database, schema);
  }

  private static final String CLUSTER_SUFFIX = ".svc.cluster.local";

  /** A host as cluster DNS names it, for a pod in {@code namespace}. */
  private static String serviceName(String host, String namespace) {
    if (host.startsWith("[") || host.isEmpty()) {
      return host; // an IPv6 literal
    }
    if (host.indexOf('.') < 0) {
      return namespace == null
          ? host
          : host + "." + namespace.toLowerCase(Locale.ROOT) + CLUSTER_SUFFIX;
    }
    if (host.endsWith(".svc") && host.chars().filter(c -> c == '.').count() == 2) {
      return host + ".cluster.local";
    }
    return host;
  }
}
