package io.schemagate.runner.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A deterministic, OID-independent description of the user objects in one database. */
public final class CatalogSnapshot {
  private final SortedMap<String, String> entries;
  private final SortedSet<String> preExistingSchemaEntries;

  private CatalogSnapshot(Map<String, String> entries, Set<String> preExistingSchemaEntries) {
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    SortedSet<String> own = new TreeSet<>(preExistingSchemaEntries);
    own.retainAll(this.entries.keySet());
    this.preExistingSchemaEntries = Collections.unmodifiableSortedSet(own);
  }

  /**
   * Describes every user object of the database {@code c} is connected to, except Flyway's history
   * table and what belongs to it.
   *
   * <p>All schemas except the system ones are read, not only {@code schemas}: a migration may
   * create a schema of its own, and what it leaves behind there counts too. The configured schemas
   * (and {@code public}, which every new database has) exist independently of the migrations, so
   * they are not objects themselves; their comments and privileges are recorded, but are not
   * {@linkplain #userObjects() user objects}.
   *
   * @param schemas the schemas Flyway manages; the first one holds the history table; empty means
   *     the connection's current schema
   * @param historyTable the history table's name, optionally schema-qualified ({@code
   *     flyway_schema_history} or {@code app.flyway_schema_history})
   * @throws SQLException when the catalog cannot be read
   */
  public static CatalogSnapshot capture(Connection c, List<String> schemas, String historyTable)
      throws SQLException {
    CatalogReader reader = new CatalogReader(c, schemas, historyTable);
    reader.read();
    return new CatalogSnapshot(reader.entries(), reader.preExistingSchemaEntries());
  }

  /** A snapshot made of given entries; for comparing without a database. */
  static CatalogSnapshot of(Map<String, String> entries) {
    return new CatalogSnapshot(entries, Set.of());
  }

  /**
   * Every entry, sorted by key. Keys name an object with its kind ({@code table public.users},
   * {@code column public.users.email}, {@code comment on index public.users_email_idx}); values are
   * its definition.
   */
  public SortedMap<String, String> entries() {
    return entries;
  }

  /**
   * Keys of the entries that a migration must have created: everything except the comments and
   * privileges of the schemas that exist without any migration. Empty after a complete undo.
   */
  public SortedSet<String> userObjects() {
    SortedSet<String> keys = new TreeSet<>(entries.keySet());
    keys.removeAll(preExistingSchemaEntries);
    return Collections.unmodifiableSortedSet(keys);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CatalogSnapshot other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "CatalogSnapshot" + entries.keySet();
  }
}
