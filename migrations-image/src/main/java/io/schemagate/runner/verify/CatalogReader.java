package io.schemagate.runner.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the system catalog into snapshot entries. Every query names objects by schema and name
 * (never by OID) and renders definitions with PostgreSQL's own {@code pg_get_*def} functions, so
 * the same DDL yields the same entries in any database.
 */
final class CatalogReader {
  private static final Map<String, String> RENDERING_SETTINGS =
      Map.of(
          "search_path", "pg_catalog",
          "TimeZone", "UTC",
          "DateStyle", "ISO, YMD",
          "IntervalStyle", "postgres",
          "extra_float_digits", "1");
  private final Connection connection;
  private final List<String> configuredSchemas;
  private final String historyTable;
  private final Map<String, String> entries = new TreeMap<>();
  private final Set<String> preExistingSchemaEntries = new HashSet<>();
  private long historyTableOid;

  CatalogReader(Connection connection, List<String> schemas, String historyTable) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.configuredSchemas = List.copyOf(Objects.requireNonNull(schemas, "schemas"));
    this.historyTable = Objects.requireNonNull(historyTable, "historyTable");
  }

  Map<String, String> entries() {
    return entries;
  }

  Set<String> preExistingSchemaEntries() {
    return preExistingSchemaEntries;
  }

  void read() throws SQLException {
    List<String> managed = new ArrayList<>(configuredSchemas);
    if (managed.isEmpty()) {
      managed.add(single("SELECT current_schema()"));
    }
    String historySchema = managed.get(0);
    String historyName = historyTable;
    int dot = historyTable.indexOf('.');
    if (dot >= 0) {
      historySchema = historyTable.substring(0, dot);
      historyName = historyTable.substring(dot + 1);
    }
    historyTableOid = historyTableOid(historySchema, historyName);

    // Definitions print every name not on the search path schema-qualified, and constants (a
    // partition bound, a default) in the session's time zone and styles; pin them so that
    // snapshots render alike whatever the connection was configured with.
    Map<String, String> saved = new LinkedHashMap<>();
    for (String setting : RENDERING_SETTINGS.keySet()) {
      saved.put(setting, single("SELECT current_setting('" + setting + "')"));
    }
    apply(RENDERING_SETTINGS);
    try {
      readAll(managed);
    } catch (SQLException e) {
      // In a failed transaction the restore fails too; the first error is the one that matters.
      try {
        apply(saved);
      } catch (SQLException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    apply(saved);
  }

  private void readAll(List<String> managed) throws SQLException {
    readSchemas(managed);
    readExtensions();
    readRelations();
    readColumns();
    readSequences();
    readConstraints();
    readIndexes();
    readTriggers();
    readRules();
    readPolicies();
    readTypes();
    readRoutines();
    readOperators();
    readCollations();
    readStatistics();
    readDefaultPrivileges();
    readEventTriggers();
  }

  private void readSchemas(List<String> managed) throws SQLException {
    Set<String> preExisting = new HashSet<>(managed);
    preExisting.add("public");
    query(
        "SELECT n.nspname, quote_ident(n.nspname), obj_description(n.oid, 'pg_namespace'), "
            + sortedAcl("n.nspacl")
            + " FROM pg_namespace n WHERE "
            + userSchema("n")
            + " AND "
            + notExtensionMember("pg_namespace", "n.oid"),
        rs -> {
          String key = "schema " + rs.getString(2);
          boolean existing = preExisting.contains(rs.getString(1));
          if (!existing) {
            put(key, "schema");
          }
          String comment = comment(key, rs.getString(3));
          String privileges = privileges(key, rs.getString(4));
          if (existing) {
            preExistingSchemaEntries.add(comment);
            preExistingSchemaEntries.add(privileges);
          }
        });
  }

  private void readExtensions() throws SQLException {
    // No comment entry: an extension's comment comes from its control file, not a migration.
    query(
        "SELECT quote_ident(e.extname), quote_ident(n.nspname), e.extversion"
            + " FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE "
            + userSchema("n"),
        rs ->
            put(
                "extension " + rs.getString(1),
                "schema " + rs.getString(2) + " version " + rs.getString(3)));
  }

  private void readRelations() throws SQLException {
    query(
        "SELECT format('%I.%I', n.nspname, c.relname), c.relkind, c.relpersistence,"
            + " c.relrowsecurity, c.relforcerowsecurity, c.relreplident,"
            + " array_to_string(c.reloptions, ', '),"
            + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
            + " c.relispartition, pg_get_expr(c.relpartbound, c.oid),"
            + " (SELECT string_agg(format('%I.%I', pn.nspname, p.relname), ', '"
            + "    ORDER BY i.inhseqno) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
            + "    JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid),"
            + " CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,"
            + " c.relispopulated,"
            + " (SELECT format('server %I options (%s)', s.srvname,"
            + "    array_to_string(ft.ftoptions, ', ')) FROM pg_foreign_table ft"
            + "    JOIN pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid),"
            + " obj_description(c.oid, 'pg_class'), "
            + sortedAcl("c.relacl")
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND "
            + userSchema("n")
            + " AND "
            + notHistoryTable("c.oid")
            + " AND "
            + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String name = rs.getString(1);
          String relkind = rs.getString(2);
          String options = rs.getString(7);
          String key;
          List<String> parts = new ArrayList<>();
          if (relkind.equals("v") || relkind.equals("m")) {
            key = (relkind.equals("v") ? "view " : "materialized view ") + name;
            parts.add(rs.getString(12));
            if (relkind.equals("m") && !rs.getBoolean(13)) {
              parts.add("WITH NO DATA");
            }
          } else {
            key = "table " + name;
            parts.add(
                switch (relkind) {
                  case "p" -> "partitioned table";
                  case "f" -> "foreign table";
                  default -> "table";
                });
            if (rs.getString(3).equals("u")) {
              parts.add("unlogged");
            }
            if (rs.getBoolean(4)) {
              parts.add(rs.getBoolean(5) ? "row level security forced" : "row level security");
            }
            addIfPresent(parts, "partition by ", rs.getString(8));
            String parents = rs.getString(11);
            if (rs.getBoolean(9)) {
              parts.add("partition of " + parents + " " + rs.getString(10));
            } else {
              addIfPresent(parts, "inherits ", parents);
            }
            String replicaIdentity = rs.getString(6);
            if (!replicaIdentity.equals("d")) {
              parts.add("replica identity " + replicaIdentity);
            }
            addIfPresent(parts, "", rs.getString(14));
          }
          addIfPresent(parts, "with ", options);
          put(key, String.join("; ", parts));
          comment(key, rs.getString(15));
          privileges(key, rs.getString(16));
        });
  }

  private void readColumns() throws SQLException {
    query(
        "SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname), c.relkind,"
            + " row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),"
            + " format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
            + " (SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co"
            + "    JOIN pg_namespace cn ON cn.oid = co.collnamespace"
            + "    WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation),"
            + " col_description(c.oid, a.attnum), "
            + sortedAcl("a.attacl")
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE a.attnum > 0 AND NOT a.attisdropped"
            + " AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND "
            + userSchema("n")
            + " AND "
            + notHistoryTable("c.oid")
            + " AND "
            + notExtensionMember("pg_class", "c.oid")
            + " AND "
            + notExtensionMember("pg_type", "c.reltype"),
        rs -> {
          String key = (rs.getString(2).equals("c") ? "attribute " : "column ") + rs.getString(1);
          StringBuilder def = new StringBuilder(rs.getString(4));
          if (rs.getString(9) != null) {
            def.append(" COLLATE ").append(rs.getString(9));
          }
          if (rs.getBoolean(5)) {
            def.append(" NOT NULL");
          }
          String expression = rs.getString(6);
          String identity = rs.getString(7);
          String generated = rs.getString(8);
          if (identity != null && !identity.isEmpty()) {
            def.append(
                identity.equals("a")
                    ? " GENERATED ALWAYS AS IDENTITY"
                    : " GENERATED BY DEFAULT AS IDENTITY");
          } else if (generated != null && !generated.isEmpty()) {
            def.append(" GENERATED ALWAYS AS (").append(expression).append(")");
            def.append(generated.equals("s") ? " STORED" : " VIRTUAL");
          } else if (expression != null) {
            def.append(" DEFAULT ").append(expression);
          }
          // Position, not attnum: a dropped column leaves a gap in attnum but not in the table.
          def.append(" (position ").append(rs.getLong(3)).append(')');
          put(key, def.toString());
          comment(key, rs.getString(10));
          privileges(key, rs.getString(11));
        });
  }

  private void readSequences() throws SQLException {
    // last_value and is_called are data, not schema: a re-applied migration need not reproduce
    // them.
    query(
        "SELECT format('%I.%I', n.nspname, c.relname), format_type(s.seqtypid, NULL),"
            + " s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
            + " c.relpersistence,"
            + " (SELECT format('%I.%I.%I', tn.nspname, t.relname, a.attname)"
            + "    || CASE d.deptype WHEN 'i' THEN ' (identity)' ELSE '' END"
            + "    FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid"
            + "    JOIN pg_namespace tn ON tn.oid = t.relnamespace"
            + "    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
            + "    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
            + "    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')),"
            + " obj_description(c.oid, 'pg_class'), "
            + sortedAcl("c.relacl")
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " JOIN pg_sequence s ON s.seqrelid = c.oid WHERE "
            + userSchema("n")
            + " AND "
            + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String key = "sequence " + rs.getString(1);
          StringBuilder def = new StringBuilder("AS " + rs.getString(2));
          def.append(" START ").append(rs.getLong(3));
          def.append(" INCREMENT ").append(rs.getLong(4));
          def.append(" MINVALUE ").append(rs.getLong(5));
          def.append(" MAXVALUE ").append(rs.getLong(6));
          def.append(" CACHE ").append(rs.getLong(7));
          def.append(rs.getBoolean(8) ? " CYCLE" : " NO CYCLE");
          if (rs.getString(9).equals("u")) {
            def.append(" UNLOGGED");
          }
          if (rs.getString(10) != null) {
            def.append(" OWNED BY ").append(rs.getString(10));
          }
          put(key, def.toString());
          comment(key, rs.getString(11));
          privileges(key, rs.getString(12));
        });
  }

  private void readConstraints() throws SQLException {
    query(
        "SELECT format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), co.conname),"
            + " pg_get_constraintdef(co.oid), obj_description(co.oid, 'pg_constraint')"
            + " FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace"
            + " LEFT JOIN pg_class c ON c.oid = co.conrelid"
            + " LEFT JOIN pg_type t ON t.oid = co.contypid"
            + " WHERE (c.oid IS NOT NULL OR t.oid IS NOT NULL) AND "
            + userSchema("n")
            + " AND "
            + notHistoryTable("co.conrelid")
            + " AND "
            + notExtensionMember("pg_class", "co.conrelid")
            + " AND "
            + notExtensionMember("pg_type", "co.contypid"),
        rs -> {
          String key = "constraint " + rs.getString(1);
          put(key, rs.getString(2));
          comment(key, rs.getString(3));
        });
  }

  private void readIndexes() throws SQLException {
    query(
        "SELECT format('%I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid), x.indisvalid,"
            + " x.indisclustered, x.indisreplident, obj_description(i.oid, 'pg_class')"
            + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_namespace n ON n.oid = i.relnamespace WHERE "
            + userSchema("n")
            + " AND "
            + notHistoryTable("x.indrelid")
            + " AND "
            + notExtensionMember("pg_class", "x.indrelid"),
        rs -> {
          String key = "index " + rs.getString(1);
          StringBuilder def = new StringBuilder(rs.getString(2));
          if (!rs.getBoolean(3)) {
            def.append(" (INVALID)");
          }
          if (rs.getBoolean(4)) {
            def.append(" (clustered)");
          }
          if (rs.getBoolean(5)) {
            def.append(" (replica identity)");
          }
          put(key, def.toString());
          comment(key, rs.getString(6));
        });
  }

  private void readTriggers() throws SQLException {
    query(
        "SELECT format('%I.%I.%I', n.nspname, c.relname, t.tgname), pg_get_triggerdef(t.oid),"
            + " t.tgenabled, obj_description(t.oid, 'pg_trigger')"
            + " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND "
            + userSchema("n")
            + " AND "
            + notHistoryTable("c.oid")
            + " AND "
            + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String key = "trigger " + rs.getString(1);
          // ALTER TABLE ... DISABLE TRIGGER is not part of the trigger's definition text.
          put(key, rs.getString(2) + firingState(rs.getString(3)));
          comment(key, rs.getString(4));
        });
  }

  private void readRules() throws SQLException {
    query(
        "SELECT format('%I.%I.%I', n.nspname, c.relname, r.rulename), pg_get_ruledef(r.oid),"
            + " r.ev_enabled, obj_description(r.oid, 'pg_rewrite')"
            + " FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE r.rulename <> '_RETURN' AND "
            + userSchema("n")
            + " AND "
            + notHistoryTable("c.oid")
            + " AND "
            + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String key = "rule " + rs.getString(1);
          put(key, rs.getString(2) + firingState(rs.getString(3)));
          comment(key, rs.getString(4));
        });
  }

  private void readPolicies() throws SQLException {
    query(
        "SELECT format('%I.%I.%I', n.nspname, c.relname, p.polname), p.polpermissive,"
            + " p.polcmd, array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC'"
            + "    ELSE quote_ident(pg_get_userbyid(r)) END FROM unnest(p.polroles) r"
            + "    ORDER BY 1), ', '),"
            + " pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),"
            + " obj_description(p.oid, 'pg_policy')"
            + " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
            + userSchema("n")
            + " AND "
            + notHistoryTable("c.oid"),
        rs -> {
          String key = "policy " + rs.getString(1);
          StringBuilder def = new StringBuilder(rs.getBoolean(2) ? "PERMISSIVE" : "RESTRICTIVE");
          def.append(" FOR ")
              .append(
                  switch (rs.getString(3)) {
                    case "r" -> "SELECT";
                    case "a" -> "INSERT";
                    case "w" -> "UPDATE";
                    case "d" -> "DELETE";
                    default -> "ALL";
                  });
          def.append(" TO ").append(rs.getString(4));
          if (rs.getString(5) != null) {
            def.append(" USING (").append(rs.getString(5)).append(')');
          }
          if (rs.getString(6) != null) {
            def.append(" WITH CHECK (").append(rs.getString(6)).append(')');
          }
          put(key, def.toString());
          comment(key, rs.getString(7));
        });
  }

  private void readTypes() throws SQLException {
    // Array and multirange types, and the row types of tables and views, come with another
    // object and are described by it.
    query(
        "SELECT format('%I.%I', n.nspname, t.typname), t.typtype,"
            + " (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)"
            + "    FROM pg_enum e WHERE e.enumtypid = t.oid),"
            + " format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,"
            + " (SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co"
            + "    JOIN pg_namespace cn ON cn.oid = co.collnamespace JOIN pg_type b"
            + "    ON b.oid = t.typbasetype WHERE co.oid = t.typcollation"
            + "    AND t.typcollation <> b.typcollation),"
            + " (SELECT format('subtype %s, collation %s, opclass %s, canonical %s, subdiff %s',"
            + "    format_type(r.rngsubtype, NULL), r.rngcollation::regcollation,"
            + "    (SELECT oc.opcname FROM pg_opclass oc WHERE oc.oid = r.rngsubopc), r.rngcanonical::oid::regprocedure,"
            + "    r.rngsubdiff::oid::regprocedure) FROM pg_range r WHERE r.rngtypid = t.oid),"
            + " obj_description(t.oid, 'pg_type'), "
            + sortedAcl("t.typacl")
            + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
            + " WHERE t.typtype IN ('b', 'c', 'd', 'e', 'p', 'r') AND "
            + userSchema("n")
            + " AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class c"
            + "    WHERE c.oid = t.typrelid AND c.relkind = 'c'))"
            + " AND NOT EXISTS (SELECT 1 FROM pg_type o WHERE o.typarray = t.oid) AND "
            + notExtensionMember("pg_type", "t.oid"),
        rs -> {
          String key = "type " + rs.getString(1);
          String def =
              switch (rs.getString(2)) {
                case "e" -> "ENUM (" + Objects.toString(rs.getString(3), "") + ")";
                case "c" -> "composite";
                case "r" -> "RANGE (" + rs.getString(8) + ")";
                case "p" -> "shell";
                case "b" -> "base";
                default -> domain(rs);
              };
          put(key, def);
          comment(key, rs.getString(9));
          privileges(key, rs.getString(10));
        });
  }

  private static String domain(ResultSet rs) throws SQLException {
    StringBuilder def = new StringBuilder("DOMAIN AS " + rs.getString(4));
    if (rs.getString(7) != null) {
      def.append(" COLLATE ").append(rs.getString(7));
    }
    if (rs.getBoolean(5)) {
      def.append(" NOT NULL");
    }
    if (rs.getString(6) != null) {
      def.append(" DEFAULT ").append(rs.getString(6));
    }
    return def.toString();
  }

  private void readRoutines() throws SQLException {
    // pg_get_functiondef refuses aggregates, which are described by their parts instead.
    query(
        "SELECT format('%I.%I', n.nspname, p.proname)"
            + "    || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.prokind,"
            + " CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,"
            + " (SELECT format('sfunc %s, stype %s, finalfunc %s, combinefunc %s,"
            + "    initcond %s, sortop %s, kind %s', a.aggtransfn::oid::regprocedure,"
            + "    format_type(a.aggtranstype, NULL), a.aggfinalfn::oid::regprocedure,"
            + "    a.aggcombinefn::oid::regprocedure, coalesce(a.agginitval, '-'),"
            + "    a.aggsortop::regoperator, a.aggkind)"
            + "    FROM pg_aggregate a WHERE a.aggfnoid = p.oid),"
            + " obj_description(p.oid, 'pg_proc'), "
            + sortedAcl("p.proacl")
            + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE "
            + userSchema("n")
            + " AND "
            + notExtensionMember("pg_proc", "p.oid"),
        rs -> {
          String kind =
              switch (rs.getString(2)) {
                case "p" -> "procedure ";
                case "a" -> "aggregate ";
                default -> "function ";
              };
          String key = kind + rs.getString(1);
          put(key, rs.getString(2).equals("a") ? rs.getString(4) : rs.getString(3));
          comment(key, rs.getString(5));
          privileges(key, rs.getString(6));
        });
  }

  private void readOperators() throws SQLException {
    query(
        "SELECT format('%I.%s(%s, %s)', n.nspname, o.oprname, format_type(o.oprleft, NULL),"
            + " format_type(o.oprright, NULL)),"
            + " format('procedure %s, commutator %s, negator %s, restrict %s, join %s,"
            + "    hashes %s, merges %s', o.oprcode::oid::regprocedure, o.oprcom::regoperator,"
            + "    o.oprnegate::regoperator, o.oprrest::oid::regprocedure,"
            + "    o.oprjoin::oid::regprocedure, o.oprcanhash, o.oprcanmerge),"
            + " obj_description(o.oid, 'pg_operator')"
            + " FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE "
            + userSchema("n")
            + " AND "
            + notExtensionMember("pg_operator", "o.oid"),
        rs -> {
          String key = "operator " + rs.getString(1);
          put(key, rs.getString(2));
          comment(key, rs.getString(3));
        });
  }

  private void readCollations() throws SQLException {
    query(
        "SELECT format('%I.%I', n.nspname, c.collname), format('provider %s, lc_collate %s,"
            + "    lc_ctype %s, deterministic %s', c.collprovider, c.collcollate, c.collctype,"
            + "    c.collisdeterministic), obj_description(c.oid, 'pg_collation')"
            + " FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE "
            + userSchema("n")
            + " AND "
            + notExtensionMember("pg_collation", "c.oid"),
        rs -> {
          String key = "collation " + rs.getString(1);
          put(key, rs.getString(2));
          comment(key, rs.getString(3));
        });
  }

  private void readStatistics() throws SQLException {
    query(
        "SELECT format('%I.%I', n.nspname, s.stxname), pg_get_statisticsobjdef(s.oid),"
            + " obj_description(s.oid, 'pg_statistic_ext')"
            + " FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE "
            + userSchema("n")
            + " AND "
            + notHistoryTable("s.stxrelid")
            + " AND "
            + notExtensionMember("pg_statistic_ext", "s.oid"),
        rs -> {
          String key = "statistics " + rs.getString(1);
          put(key, rs.getString(2));
          comment(key, rs.getString(3));
        });
  }

  private void readDefaultPrivileges() throws SQLException {
    // ALTER DEFAULT PRIVILEGES outlives every table it applied to, so an undo can easily miss it.
    query(
        "SELECT quote_ident(pg_get_userbyid(d.defaclrole)),"
            + " CASE WHEN d.defaclnamespace = 0 THEN 'all schemas'"
            + "    ELSE 'schema ' || quote_ident(n.nspname) END,"
            + " CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'"
            + "    WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas'"
            + "    ELSE d.defaclobjtype::text END, "
            + sortedAcl("d.defaclacl")
            + " FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace"
            + " WHERE d.defaclnamespace = 0 OR "
            + userSchema("n"),
        rs ->
            put(
                "default privileges for role "
                    + rs.getString(1)
                    + " in "
                    + rs.getString(2)
                    + " on "
                    + rs.getString(3),
                rs.getString(4)));
  }

  private void readEventTriggers() throws SQLException {
    query(
        "SELECT quote_ident(e.evtname), format('ON %s EXECUTE %s, tags %s', e.evtevent,"
            + "    e.evtfoid::regprocedure, coalesce(array_to_string(e.evttags, ', '), '-')),"
            + " e.evtenabled, obj_description(e.oid, 'pg_event_trigger')"
            + " FROM pg_event_trigger e WHERE "
            + notExtensionMember("pg_event_trigger", "e.oid"),
        rs -> {
          String key = "event trigger " + rs.getString(1);
          put(key, rs.getString(2) + firingState(rs.getString(3)));
          comment(key, rs.getString(4));
        });
  }

  private static String firingState(String code) {
    return switch (code) {
      case "O" -> "";
      case "D" -> " (disabled)";
      case "R" -> " (enabled replica)";
      case "A" -> " (enabled always)";
      default -> " (enabled " + code + ")";
    };
  }

  /** Records a comment on {@code key} when there is one; returns the comment's key. */
  private String comment(String key, String text) {
    String commentKey = "comment on " + key;
    if (text != null) {
      put(commentKey, text);
    }
    return commentKey;
  }

  /** Records explicit privileges on {@code key} when there are some; returns their key. */
  private String privileges(String key, String acl) {
    String privilegesKey = "privileges on " + key;
    if (acl != null && !acl.isEmpty()) {
      put(privilegesKey, acl);
    }
    return privilegesKey;
  }

  private void put(String key, String definition) {
    entries.put(key, Objects.toString(definition, ""));
  }

  private long historyTableOid(String schema, String table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  private void apply(Map<String, String> settings) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT set_config(?, ?, false)")) {
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        ps.setString(1, setting.getKey());
        ps.setString(2, setting.getValue());
        ps.execute();
      }
    }
  }

  private String single(String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void query(String sql, Row row) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        row.accept(rs);
      }
    }
  }

  private static String userSchema(String alias) {
    // pg_catalog, pg_toast, temporary schemas: user schema names cannot start with "pg_".
    return "("
        + alias
        + ".nspname NOT LIKE 'pg\\_%' AND "
        + alias
        + ".nspname <> 'information_schema')";
  }

  private String notHistoryTable(String oidExpression) {
    // A constraint on a domain has conrelid 0, which must not count as "the history table".
    return historyTableOid == 0 ? "TRUE" : oidExpression + " <> " + historyTableOid;
  }

  private static String notExtensionMember(String catalog, String oidExpression) {
    // Objects an extension created belong to the extension, which is described as one entry.
    return "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '"
        + catalog
        + "'::regclass AND dep.objid = "
        + oidExpression
        + " AND dep.deptype = 'e')";
  }

  private static String sortedAcl(String column) {
    return "array_to_string(ARRAY(SELECT acl::text FROM unnest("
        + column
        + ") acl ORDER BY 1), ' ')";
  }

  private static void addIfPresent(List<String> parts, String prefix, String value) {
    if (value != null && !value.isEmpty()) {
      parts.add(prefix + value);
    }
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }
}
