package io.schemagate.runner.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a script is split into statements, the way psql splits it. */
class StatementSplitTest {

  private static List<String> sqlOf(String script) {
    return Split.of(script).stream().map(SqlStatement::sql).toList();
  }

  @Test
  void semicolonsEndStatements() {
    assertThat(sqlOf("CREATE TABLE a (id int);\nCREATE TABLE b (id int);"))
        .containsExactly("CREATE TABLE a (id int)", "CREATE TABLE b (id int)");
  }

  @Test
  void lastStatementNeedsNoSemicolon() {
    assertThat(sqlOf("SELECT 1;\nSELECT 2\n")).containsExactly("SELECT 1", "SELECT 2");
  }

  @Test
  void emptyStatementsAndCommentOnlyStatementsAreSkipped() {
    assertThat(sqlOf(";; SELECT 1;;\n-- only a comment\n;\n/* and another */"))
        .containsExactly("SELECT 1");
  }

  @Test
  void leadingAndTrailingCommentsAreTrimmedButInnerOnesKept() {
    assertThat(sqlOf("-- why\n/* more */  SELECT 1 /* inner */ + 2 -- tail\n;"))
        .containsExactly("SELECT 1 /* inner */ + 2");
  }

  @Test
  void lineIsWhereTheFirstTokenStarts() {
    List<SqlStatement> statements = Split.of("-- header\n\nSELECT 1;\n  /* c */\n  SELECT\n 2;");
    assertThat(statements).extracting(SqlStatement::line).containsExactly(3, 5);
  }

  @Test
  void semicolonInsideStringDoesNotSplit() {
    assertThat(sqlOf("INSERT INTO t VALUES ('a;b', 'it''s;');SELECT 1"))
        .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT 1");
  }

  @Test
  void semicolonInsideEscapeStringAfterEscapedQuoteDoesNotSplit() {
    assertThat(sqlOf("SELECT E'\\';';SELECT 2")).containsExactly("SELECT E'\\';'", "SELECT 2");
  }

  @Test
  void semicolonInsideQuotedIdentifierDoesNotSplit() {
    assertThat(sqlOf("CREATE TABLE \"a;\"\"b\" (id int); SELECT 2")).hasSize(2);
  }

  @Test
  void semicolonInsideCommentsDoesNotSplit() {
    assertThat(sqlOf("SELECT 1 -- a; b\n + /* x; /* y; */ z; */ 2; SELECT 3"))
        .containsExactly("SELECT 1 -- a; b\n + /* x; /* y; */ z; */ 2", "SELECT 3");
  }

  @Test
  void semicolonInsideDollarQuoteDoesNotSplit() {
    String function =
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\n"
            + "BEGIN\n  PERFORM 1;\n  RETURN $$x;$$::text;\nEND;\n$fn$";
    assertThat(sqlOf(function + ";\nSELECT f();")).containsExactly(function, "SELECT f()");
  }

  @Test
  void positionalParameterBeforeSemicolonStillSplits() {
    assertThat(sqlOf("PREPARE p AS SELECT $1;EXECUTE p(1)"))
        .containsExactly("PREPARE p AS SELECT $1", "EXECUTE p(1)");
  }

  @Test
  void semicolonInsideParenthesesDoesNotSplit() {
    assertThat(sqlOf("CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b); SELECT 1"))
        .containsExactly(
            "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)", "SELECT 1");
  }

  @Test
  void sqlStandardFunctionBodyIsOneStatement() {
    String function =
        "CREATE OR REPLACE FUNCTION grade(score int) RETURNS text LANGUAGE sql\n"
            + "BEGIN ATOMIC\n"
            + "  SELECT CASE WHEN score > 50 THEN 'pass' ELSE 'fail' END;\n"
            + "  SELECT 'done';\n"
            + "END";
    assertThat(sqlOf(function + ";\nSELECT grade(3);"))
        .containsExactly(function, "SELECT grade(3)");
  }

  @Test
  void sqlStandardProcedureBodyIsOneStatement() {
    String procedure =
        "create procedure p() begin atomic insert into t values (1); insert into t values (2); end";
    assertThat(sqlOf(procedure + "; call p()")).containsExactly(procedure, "call p()");
  }

  @Test
  void caseOutsideRoutineBodyDoesNotHoldBackTheSemicolon() {
    assertThat(sqlOf("SELECT CASE WHEN true THEN 1 END; SELECT 2")).hasSize(2);
  }

  @Test
  void transactionBeginIsNotARoutineBody() {
    assertThat(sqlOf("BEGIN; SELECT 1; END; SELECT 2"))
        .containsExactly("BEGIN", "SELECT 1", "END", "SELECT 2");
  }

  @Test
  void copyFromStdinCarriesItsDataLines() {
    List<SqlStatement> script =
        Split.of(
            "CREATE TABLE t (a int, b text);\n"
                + "COPY t (a, b) FROM STDIN;\n"
                + "1\tx;y\n"
                + "2\t'quote\n"
                + "\\.\n"
                + "SELECT count(*) FROM t;");
    assertThat(script)
        .extracting(SqlStatement::sql)
        .containsExactly(
            "CREATE TABLE t (a int, b text)", "COPY t (a, b) FROM STDIN", "SELECT count(*) FROM t");
    assertThat(script.get(1).copyData()).isEqualTo("1\tx;y\n2\t'quote\n");
    assertThat(script.get(2).line()).isEqualTo(6);
    assertThat(script.get(0).copyData()).isNull();
  }

  @Test
  void copyDataWithWindowsLineEndsIsNormalised() {
    List<SqlStatement> script = Split.of("copy t from stdin with (format csv);\r\n1,2\r\n\\.\r\n");
    assertThat(script.get(0).copyData()).isEqualTo("1,2\n");
  }

  @Test
  void copyWithNoDataLinesHasEmptyData() {
    List<SqlStatement> script = Split.of("COPY t FROM STDIN; -- nothing\n\\.");
    assertThat(script).singleElement().extracting(SqlStatement::copyData).isEqualTo("");
  }

  @Test
  void copyFromFileOrToStdoutHasNoData() {
    assertThat(Split.of("COPY t FROM '/tmp/x'; COPY (SELECT 1) TO STDOUT; SELECT 1"))
        .extracting(SqlStatement::copyData)
        .containsOnlyNulls()
        .hasSize(3);
  }

  @Test
  void copyDataWithoutTerminatorIsASyntaxError() {
    assertThatThrownBy(() -> Split.of("SELECT 1;\nCOPY t FROM STDIN;\n1\n2\n"))
        .isInstanceOfSatisfying(SqlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void copyFromStdinWithoutSemicolonIsASyntaxError() {
    assertThatThrownBy(() -> Split.of("COPY t FROM STDIN")).isInstanceOf(SqlSyntaxException.class);
  }

  @Test
  void sqlAfterCopyOnTheSameLineIsASyntaxError() {
    assertThatThrownBy(() -> Split.of("COPY t FROM STDIN; SELECT 1;\n\\.\n"))
        .isInstanceOf(SqlSyntaxException.class);
  }

  @Test
  void byteOrderMarkIsIgnored() {
    List<SqlStatement> statements = Split.of("\uFEFFSELECT 1;");
    assertThat(statements).extracting(SqlStatement::sql).containsExactly("SELECT 1");
    assertThat(statements.get(0).line()).isEqualTo(1);
  }

  @Test
  void unterminatedDollarQuoteIsASyntaxErrorWithItsLine() {
    assertThatThrownBy(() -> Split.of("SELECT 1;\nDO $$ BEGIN\n  NULL;\nEND;"))
        .isInstanceOfSatisfying(SqlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void statementsAreMarkedByWhetherTheyCanRunInATransaction() {
    assertThat(Split.of("CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);"))
        .extracting(SqlStatement::transactional)
        .containsExactly(true, false);
  }

  @Test
  void transactionControlIsNotTransactional() {
    assertThat(Split.of("BEGIN; CREATE TABLE t (a int); COMMIT;"))
        .extracting(SqlStatement::transactional)
        .containsExactly(false, true, false);
  }

  @Test
  void aScriptOfOnlyCommentsHasNoStatements() {
    assertThat(Split.of("-- nothing to do\n")).isEmpty();
  }

  @Test
  void statementTokensKeepFileLineNumbers() {
    SqlStatement statement = Split.of("\n\nCREATE TABLE t (\n  a timestamp\n)").get(0);
    assertThat(statement.tokens().stream().filter(t -> t.isWord("timestamp")).findFirst())
        .get()
        .extracting(SqlToken::line)
        .isEqualTo(4);
  }

  @Test
  void commentsAreHandedOutInOrderAndCopyDataIsNotAComment() {
    String text =
        "-- one\nCOPY t FROM STDIN;\n-- data, not a comment\n\\.\n/* two */ SELECT 1; -- three";
    List<String> comments = new java.util.ArrayList<>();
    SqlStatementReader reader = SqlStatementReader.of(text).onComment(c -> comments.add(c.text()));

    assertThat(Split.all(reader)).hasSize(2);
    assertThat(comments).containsExactly("-- one", "/* two */", "-- three");
  }
}
