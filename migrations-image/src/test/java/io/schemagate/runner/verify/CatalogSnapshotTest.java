package io.schemagate.runner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CatalogSnapshotTest {
  private static final List<String> PUBLIC = List.of("public");
  private static final String HISTORY = "flyway_schema_history";

  /** Flyway's own DDL for its history table on PostgreSQL. */
  static final String HISTORY_TABLE =
      """
      CREATE TABLE public.flyway_schema_history (
        installed_rank INT NOT NULL,
        version VARCHAR(50),
        description VARCHAR(200) NOT NULL,
        type VARCHAR(20) NOT NULL,
        script VARCHAR(1000) NOT NULL,
        checksum INTEGER,
        installed_by VARCHAR(100) NOT NULL,
        installed_on TIMESTAMP NOT NULL DEFAULT now(),
        execution_time INTEGER NOT NULL,
        success BOOLEAN NOT NULL
      );
      ALTER TABLE public.flyway_schema_history
        ADD CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank);
      CREATE INDEX flyway_schema_history_s_idx ON public.flyway_schema_history (success);
      """;

  /** One of nearly every kind of object a migration creates. */
  static final String EVERY_KIND =
      """
      CREATE EXTENSION citext;
      CREATE SCHEMA app;
      CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
      CREATE DOMAIN app.email AS citext CHECK (VALUE LIKE '%@%');
      CREATE TYPE app.address AS (street text, city text);
      CREATE TYPE app.floatrange AS RANGE (subtype = float8);
      CREATE COLLATION app.bytewise (provider = libc, locale = 'C');
      CREATE SEQUENCE app.ticket_seq INCREMENT 5 START 100;
      CREATE TABLE app.users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email app.email NOT NULL UNIQUE,
        name text COLLATE app.bytewise DEFAULT 'anon',
        mood app.mood DEFAULT 'ok',
        home app.address,
        name_length int GENERATED ALWAYS AS (length(name)) STORED,
        ticket int DEFAULT nextval('app.ticket_seq')
      );
      ALTER SEQUENCE app.ticket_seq OWNED BY app.users.ticket;
      CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v jsonb);
      CREATE TABLE app.events (
        id bigserial,
        at timestamptz NOT NULL,
        user_id bigint REFERENCES app.users (id) ON DELETE CASCADE
      ) PARTITION BY RANGE (at);
      CREATE TABLE app.events_2025 PARTITION OF app.events
        FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE INDEX events_at_idx ON app.events (at);
      CREATE INDEX users_lower_name_idx ON app.users (lower(name)) WHERE name IS NOT NULL;
      ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
      CREATE POLICY users_self ON app.users FOR SELECT TO PUBLIC USING (name = current_user::text);
      CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE mood <> 'sad';
      CREATE MATERIALIZED VIEW app.user_counts AS
        SELECT mood, count(*) AS n FROM app.users GROUP BY mood WITH NO DATA;
      CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.name := coalesce(NEW.name, 'x');
        RETURN NEW;
      END $$;
      CREATE PROCEDURE app.clear_cache() LANGUAGE sql AS $$ DELETE FROM app.cache $$;
      CREATE AGGREGATE app.concat_all(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
      CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);
      CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON app.users
        FOR EACH ROW EXECUTE FUNCTION app.touch();
      CREATE RULE cache_keep AS ON DELETE TO app.cache DO INSTEAD NOTHING;
      CREATE STATISTICS app.users_stats (dependencies) ON name, mood FROM app.users;
      CREATE FUNCTION app.ddl_seen() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
      CREATE EVENT TRIGGER app_ddl ON ddl_command_end EXECUTE FUNCTION app.ddl_seen();
      COMMENT ON SCHEMA app IS 'application';
      COMMENT ON TABLE app.users IS 'people';
      COMMENT ON COLUMN app.users.email IS 'login';
      COMMENT ON INDEX app.users_lower_name_idx IS 'search';
      COMMENT ON TYPE app.mood IS 'feelings';
      COMMENT ON FUNCTION app.touch() IS 'keeps names';
      COMMENT ON TRIGGER users_touch ON app.users IS 'names';
      COMMENT ON CONSTRAINT users_email_key ON app.users IS 'unique login';
      COMMENT ON POLICY users_self ON app.users IS 'own rows';
      COMMENT ON SEQUENCE app.ticket_seq IS 'tickets';
      COMMENT ON VIEW app.active_users IS 'cheerful';
      GRANT SELECT ON app.active_users TO PUBLIC;
      ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
      CREATE TABLE public.notes (id int);
      """;

  static final String UNDO_EVERY_KIND =
      """
      DROP EVENT TRIGGER app_ddl;
      DROP SCHEMA app CASCADE;
      DROP TABLE public.notes;
      DROP EXTENSION citext;
      """;

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @Test
  void identicalScriptsInTwoDatabasesGiveNoDifference() throws Exception {
    try (Connection first = PG.newDatabase(EVERY_KIND).connect();
        Connection second = PG.newDatabase(EVERY_KIND).connect()) {
      CatalogSnapshot a = CatalogSnapshot.capture(first, PUBLIC, HISTORY);
      CatalogSnapshot b = CatalogSnapshot.capture(second, PUBLIC, HISTORY);

      assertThat(CatalogDiff.compare(a, b)).isEmpty();
      assertThat(a).isEqualTo(b);
    }
  }

  @Test
  void everyKindOfObjectIsDescribed() throws Exception {
    try (Connection c = PG.newDatabase(EVERY_KIND).connect()) {
      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(snapshot.entries())
          .containsKeys(
              "schema app",
              "extension citext",
              "type app.mood",
              "type app.email",
              "constraint app.email.email_check",
              "type app.address",
              "attribute app.address.street",
              "type app.floatrange",
              "collation app.bytewise",
              "sequence app.ticket_seq",
              "sequence app.users_id_seq",
              "sequence app.events_id_seq",
              "table app.users",
              "column app.users.email",
              "constraint app.users.users_pkey",
              "constraint app.events.events_user_id_fkey",
              "table app.cache",
              "table app.events",
              "table app.events_2025",
              "index app.events_at_idx",
              "index app.events_2025_at_idx",
              "index app.users_lower_name_idx",
              "policy app.users.users_self",
              "view app.active_users",
              "materialized view app.user_counts",
              "function app.touch()",
              "procedure app.clear_cache()",
              "aggregate app.concat_all(text)",
              "operator app.===(integer, integer)",
              "trigger app.users.users_touch",
              "rule app.cache.cache_keep",
              "statistics app.users_stats",
              "event trigger app_ddl",
              "comment on schema app",
              "comment on table app.users",
              "comment on column app.users.email",
              "comment on index app.users_lower_name_idx",
              "comment on type app.mood",
              "comment on function app.touch()",
              "comment on trigger app.users.users_touch",
              "comment on constraint app.users.users_email_key",
              "comment on policy app.users.users_self",
              "comment on sequence app.ticket_seq",
              "comment on view app.active_users",
              "privileges on view app.active_users",
              "default privileges for role postgres in schema app on tables",
              "table public.notes");
      assertThat(snapshot.entries())
          .containsEntry("type app.mood", "ENUM ('sad', 'ok', 'happy')")
          .containsEntry(
              "column app.users.name",
              "text COLLATE app.bytewise DEFAULT 'anon'::text (position 3)")
          .containsEntry(
              "column app.users.id", "bigint NOT NULL GENERATED ALWAYS AS IDENTITY (position 1)")
          .containsEntry(
              "column app.users.name_length",
              "integer GENERATED ALWAYS AS (length(name)) STORED (position 6)")
          .containsEntry(
              "sequence app.ticket_seq",
              "AS bigint START 100 INCREMENT 5 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1"
                  + " NO CYCLE OWNED BY app.users.ticket")
          .containsEntry("table app.cache", "table; unlogged")
          .containsEntry("table app.users", "table; row level security")
          .containsEntry("materialized view app.user_counts", snapshotOf(c, "app.user_counts"));
      assertThat(snapshot.entries().get("table app.events_2025"))
          .isEqualTo(
              "table; partition of app.events FOR VALUES FROM ('2025-01-01 00:00:00+00') TO"
                  + " ('2026-01-01 00:00:00+00')");
      assertThat(snapshot.entries().get("table app.events"))
          .isEqualTo("partitioned table; partition by RANGE (at)");
    }
  }

  @Test
  void membersOfAnExtensionAreLeftToTheExtension() throws Exception {
    try (Connection c = PG.newDatabase("CREATE EXTENSION citext").connect()) {
      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(snapshot.userObjects()).containsExactly("extension citext");
    }
  }

  @Test
  void historyTableIsIgnored() throws Exception {
    try (Connection c = PG.newDatabase(HISTORY_TABLE).connect()) {
      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(snapshot.entries().keySet()).noneMatch(key -> key.contains("flyway"));
      assertThat(snapshot.userObjects()).isEmpty();
    }
  }

  @Test
  void schemaQualifiedHistoryTableIsIgnoredInItsSchema() throws Exception {
    try (Connection c =
        PG.newDatabase(
                "CREATE SCHEMA meta;"
                    + HISTORY_TABLE.replace("public.", "meta.")
                    + "CREATE TABLE public.flyway_schema_history (id int);")
            .connect()) {
      CatalogSnapshot snapshot =
          CatalogSnapshot.capture(c, List.of("app"), "meta.flyway_schema_history");

      assertThat(snapshot.userObjects())
          .containsExactly(
              "column public.flyway_schema_history.id",
              "schema meta",
              "table public.flyway_schema_history");
    }
  }

  @Test
  void freshDatabaseHasNoUserObjects() throws Exception {
    try (Connection c = PG.newDatabase().connect()) {
      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, List.of(), HISTORY);

      assertThat(snapshot.userObjects()).isEmpty();
      // public's own comment and privileges are still compared, only not counted as leftovers.
      assertThat(snapshot.entries()).containsKey("comment on schema public");
    }
  }

  @Test
  void snapshotIsEmptyAfterEverythingIsDropped() throws Exception {
    try (Connection c = PG.newDatabase(HISTORY_TABLE + EVERY_KIND).connect()) {
      run(c, UNDO_EVERY_KIND);

      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(snapshot.userObjects()).isEmpty();
    }
  }

  @Test
  void reapplyingAfterACompleteUndoGivesTheSameSnapshot() throws Exception {
    // verify's own sequence, in one database: migrate, snapshot, undo, migrate, snapshot.
    try (Connection c = PG.newDatabase(HISTORY_TABLE + EVERY_KIND).connect()) {
      CatalogSnapshot first = CatalogSnapshot.capture(c, PUBLIC, HISTORY);
      run(c, UNDO_EVERY_KIND);
      assertThat(CatalogSnapshot.capture(c, PUBLIC, HISTORY).userObjects()).isEmpty();
      run(c, EVERY_KIND);

      CatalogSnapshot second = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(CatalogDiff.compare(first, second)).isEmpty();
    }
  }

  @Test
  void whatAnIncompleteUndoLeavesIsListed() throws Exception {
    try (Connection c = PG.newDatabase(HISTORY_TABLE + EVERY_KIND).connect()) {
      run(
          c,
          """
          DROP EVENT TRIGGER app_ddl;
          DROP SCHEMA app CASCADE;
          DROP EXTENSION citext;
          COMMENT ON SCHEMA public IS 'mine now';
          """);

      CatalogSnapshot snapshot = CatalogSnapshot.capture(c, PUBLIC, HISTORY);

      assertThat(snapshot.userObjects())
          .containsExactly("column public.notes.id", "table public.notes");
    }
  }

  @Test
  void sequenceValuesAreNotPartOfTheSchema() throws Exception {
    String script = "CREATE SEQUENCE s; CREATE TABLE t (id serial);";
    try (Connection used = PG.newDatabase(script).connect();
        Connection unused = PG.newDatabase(script).connect()) {
      run(used, "SELECT nextval('s'); INSERT INTO t DEFAULT VALUES;");

      assertThat(
              CatalogDiff.compare(
                  CatalogSnapshot.capture(used, PUBLIC, HISTORY),
                  CatalogSnapshot.capture(unused, PUBLIC, HISTORY)))
          .isEmpty();
    }
  }

  @Test
  void droppedColumnLeavesNoGapInPositions() throws Exception {
    try (Connection altered =
            PG.newDatabase("CREATE TABLE t (a int, b int, c int); ALTER TABLE t DROP b;")
                .connect();
        Connection direct = PG.newDatabase("CREATE TABLE t (a int, c int)").connect()) {
      assertThat(
              CatalogDiff.compare(
                  CatalogSnapshot.capture(altered, PUBLIC, HISTORY),
                  CatalogSnapshot.capture(direct, PUBLIC, HISTORY)))
          .isEmpty();
    }
  }

  @Test
  void sessionSettingsOfTheConnectionDoNotChangeTheSnapshot() throws Exception {
    String script =
        "CREATE SCHEMA app; CREATE TABLE app.t (a int, at timestamptz DEFAULT '2025-06-01 12:00Z');"
            + " CREATE VIEW app.v AS SELECT a FROM app.t;";
    try (Connection first = PG.newDatabase(script).connect();
        Connection second = PG.newDatabase(script).connect()) {
      run(
          second,
          "SET search_path = app, public; SET TimeZone = 'America/New_York';"
              + " SET DateStyle = 'ISO, DMY';");

      CatalogSnapshot a = CatalogSnapshot.capture(first, PUBLIC, HISTORY);
      CatalogSnapshot b = CatalogSnapshot.capture(second, PUBLIC, HISTORY);

      assertThat(CatalogDiff.compare(a, b)).isEmpty();
      try (Statement st = second.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT current_setting('search_path'), current_setting('TimeZone'),"
                      + " current_setting('DateStyle')")) {
        rs.next();
        assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
            .containsExactly("app, public", "America/New_York", "ISO, DMY");
      }
    }
  }

  /** Runs a script in the session of {@code c}, where what it SETs stays in force. */
  private static void run(Connection c, String script) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(script);
    }
  }

  private static String snapshotOf(Connection c, String matview) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_get_viewdef('" + matview + "'::regclass, true) || '; WITH NO DATA'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
