package io.schemagate.runner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.PostgresServer;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each kind of object, created slightly differently in two databases, shows up in the diff. */
class ChangeDetectionTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static List<String> differences(String expectedScript, String actualScript)
      throws Exception {
    try (Connection expected = PG.newDatabase(expectedScript).connect();
        Connection actual = PG.newDatabase(actualScript).connect()) {
      return CatalogDiff.compare(
          CatalogSnapshot.capture(expected, List.of("public"), "flyway_schema_history"),
          CatalogSnapshot.capture(actual, List.of("public"), "flyway_schema_history"));
    }
  }

  @Test
  void changedColumnTypeIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE users (email text)", "CREATE TABLE users (email varchar(100))"))
        .containsExactly(
            "changed: column public.users.email: 'text (position 1)' →"
                + " 'character varying(100) (position 1)'");
  }

  @Test
  void changedColumnDefaultIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (status text DEFAULT 'new')",
                "CREATE TABLE t (status text DEFAULT 'open')"))
        .containsExactly(
            "changed: column public.t.status: 'text DEFAULT 'new'::text (position 1)' →"
                + " 'text DEFAULT 'open'::text (position 1)'");
  }

  @Test
  void changedNullabilityIsReported() throws Exception {
    assertThat(differences("CREATE TABLE t (a int NOT NULL)", "CREATE TABLE t (a int)"))
        .containsExactly(
            "changed: column public.t.a: 'integer NOT NULL (position 1)' →"
                + " 'integer (position 1)'");
  }

  @Test
  void changedColumnOrderIsReported() throws Exception {
    assertThat(differences("CREATE TABLE t (a int, b int)", "CREATE TABLE t (b int, a int)"))
        .containsExactly(
            "changed: column public.t.a: 'integer (position 1)' → 'integer (position 2)'",
            "changed: column public.t.b: 'integer (position 2)' → 'integer (position 1)'");
  }

  @Test
  void changedCheckConstraintIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (n int CONSTRAINT n_positive CHECK (n > 0))",
                "CREATE TABLE t (n int CONSTRAINT n_positive CHECK (n >= 0))"))
        .containsExactly(
            "changed: constraint public.t.n_positive: 'CHECK ((n > 0))' → 'CHECK ((n >= 0))'");
  }

  @Test
  void missingForeignKeyIsReported() throws Exception {
    String tables = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int);";
    assertThat(differences(tables + "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p;", tables))
        .containsExactly("missing after re-apply: constraint public.c.c_p_id_fkey");
  }

  @Test
  void missingIndexIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (n int); CREATE INDEX t_n_idx ON t (n);", "CREATE TABLE t (n int)"))
        .containsExactly("missing after re-apply: index public.t_n_idx");
  }

  @Test
  void unexpectedIndexIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (n int)", "CREATE TABLE t (n int); CREATE INDEX t_n_idx ON t (n);"))
        .containsExactly("unexpected: index public.t_n_idx");
  }

  @Test
  void changedIndexDefinitionIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (n int); CREATE INDEX i ON t (n);",
                "CREATE TABLE t (n int); CREATE UNIQUE INDEX i ON t (n);"))
        .containsExactly(
            "changed: index public.i: 'CREATE INDEX i ON public.t USING btree (n)' →"
                + " 'CREATE UNIQUE INDEX i ON public.t USING btree (n)'");
  }

  @Test
  void changedViewBodyIsReported() throws Exception {
    String table = "CREATE TABLE t (a int, b int);";
    assertThat(
            differences(
                table + "CREATE VIEW v AS SELECT a FROM t WHERE b > 1",
                table + "CREATE VIEW v AS SELECT a FROM t WHERE b > 2"))
        .containsExactly(
            "changed: view public.v: ' SELECT a\\n   FROM public.t\\n  WHERE b > 1;' →"
                + " ' SELECT a\\n   FROM public.t\\n  WHERE b > 2;'");
  }

  @Test
  void changedFunctionBodyIsReported() throws Exception {
    String function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT %d $$";
    List<String> lines = differences(function.formatted(1), function.formatted(2));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("changed: function public.f(): '")
        .contains("SELECT 1 ")
        .contains("SELECT 2 ");
  }

  @Test
  void changedTriggerTimingIsReported() throws Exception {
    String setup =
        "CREATE TABLE t (a int);"
            + " CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;";
    assertThat(
            differences(
                setup + "CREATE TRIGGER t_tg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg()",
                setup + "CREATE TRIGGER t_tg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg()"))
        .containsExactly(
            "changed: trigger public.t.t_tg: 'CREATE TRIGGER t_tg BEFORE INSERT ON public.t FOR"
                + " EACH ROW EXECUTE FUNCTION public.tg()' → 'CREATE TRIGGER t_tg AFTER INSERT ON"
                + " public.t FOR EACH ROW EXECUTE FUNCTION public.tg()'");
  }

  @Test
  void disabledTriggerIsReported() throws Exception {
    String setup =
        "CREATE TABLE t (a int);"
            + " CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
            + " CREATE TRIGGER t_tg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg();";
    List<String> lines = differences(setup, setup + "ALTER TABLE t DISABLE TRIGGER t_tg");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("changed: trigger public.t.t_tg:").endsWith("(disabled)'");
  }

  @Test
  void enumLabelOrderIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE TYPE mood AS ENUM ('sad'); ALTER TYPE mood ADD VALUE 'happy' BEFORE 'sad';"))
        .containsExactly(
            "changed: type public.mood: 'ENUM ('sad', 'happy')' → 'ENUM ('happy', 'sad')'");
  }

  @Test
  void enumLabelsAddedInOrderMatchLabelsCreatedAtOnce() throws Exception {
    assertThat(
            differences(
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TYPE mood AS ENUM ('sad', 'happy'); ALTER TYPE mood ADD VALUE 'ok' AFTER 'sad';"))
        .isEmpty();
  }

  @Test
  void changedCommentIsReported() throws Exception {
    String table = "CREATE TABLE t (a int);";
    assertThat(
            differences(
                table + "COMMENT ON COLUMN t.a IS 'old'", table + "COMMENT ON COLUMN t.a IS 'new'"))
        .containsExactly("changed: comment on column public.t.a: 'old' → 'new'");
  }

  @Test
  void missingCommentIsReported() throws Exception {
    String table = "CREATE TABLE t (a int);";
    assertThat(differences(table + "COMMENT ON TABLE t IS 'facts'", table))
        .containsExactly("missing after re-apply: comment on table public.t");
  }

  @Test
  void changedSequenceIncrementIsReported() throws Exception {
    assertThat(differences("CREATE SEQUENCE s INCREMENT 1", "CREATE SEQUENCE s INCREMENT 10"))
        .containsExactly(
            "changed: sequence public.s: 'AS bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE"
                + " 9223372036854775807 CACHE 1 NO CYCLE' → 'AS bigint START 1 INCREMENT 10"
                + " MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE'");
  }

  @Test
  void changedDomainConstraintIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE DOMAIN code AS text CONSTRAINT code_short CHECK (length(VALUE) < 5)",
                "CREATE DOMAIN code AS text CONSTRAINT code_short CHECK (length(VALUE) < 9)"))
        .containsExactly(
            "changed: constraint public.code.code_short: 'CHECK ((length(VALUE) < 5))' →"
                + " 'CHECK ((length(VALUE) < 9))'");
  }

  @Test
  void changedPolicyIsReported() throws Exception {
    String table = "CREATE TABLE t (owner text); ALTER TABLE t ENABLE ROW LEVEL SECURITY;";
    List<String> lines =
        differences(
            table + "CREATE POLICY mine ON t USING (owner = current_user::text)",
            table + "CREATE POLICY mine ON t FOR SELECT USING (owner = current_user::text)");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("changed: policy public.t.mine: 'PERMISSIVE FOR ALL");
  }

  @Test
  void leftoverRowLevelSecurityIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (a int)",
                "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"))
        .containsExactly("changed: table public.t: 'table' → 'table; row level security'");
  }

  @Test
  void leftoverGrantIsReported() throws Exception {
    assertThat(
            differences(
                "CREATE TABLE t (a int)", "CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC;"))
        .containsExactly("unexpected: privileges on table public.t");
  }

  @Test
  void objectInASchemaOfItsOwnIsReported() throws Exception {
    assertThat(differences("", "CREATE SCHEMA audit; CREATE TABLE audit.log (a int);"))
        .containsExactly(
            "unexpected: column audit.log.a",
            "unexpected: schema audit",
            "unexpected: table audit.log");
  }
}
