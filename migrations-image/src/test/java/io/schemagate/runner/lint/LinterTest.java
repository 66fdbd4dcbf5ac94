package io.schemagate.runner.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinterTest {

  @TempDir Path folder;

  private void write(String file, String sql) throws IOException {
    Path path = folder.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, sql);
  }

  private List<String> formatted() throws IOException {
    return Linter.lint(folder).stream().map(LintFinding::format).toList();
  }

  private List<String> rules() throws IOException {
    return Linter.lint(folder).stream().map(LintFinding::rule).toList();
  }

  @Test
  void cleanFolderHasNoFindings() throws IOException {
    write("V1__create_orders.sql", "CREATE TABLE orders (id bigint, at timestamptz);");
    write("U1__create_orders.sql", "DROP TABLE orders;");
    write("R__orders_view.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM orders;");
    write("schemagate.conf", "outOfOrder=false");
    assertThat(Linter.lint(folder)).isEmpty();
  }

  @Test
  void findingsAreSortedByFileThenLineAndNamedRelativeToTheFolder() throws IOException {
    write(
        "sub/V2__b.sql",
        "ALTER TABLE t ADD COLUMN c timestamp;\nDROP TABLE old;\nCREATE INDEX i ON t (c);");
    write("U2__b.sql", "SELECT 1;");
    write("V1__a.sql", "CREATE TABLE t (a timestamp);");
    write("U1__a.sql", "DROP TABLE t;");
    assertThat(formatted())
        .containsExactly(
            "V1__a.sql:1: timestamp-without-time-zone: timestamp without time zone stores"
                + " wall-clock time with no zone; use timestamptz (timestamp with time zone)",
            "sub/V2__b.sql:1: timestamp-without-time-zone: timestamp without time zone stores"
                + " wall-clock time with no zone; use timestamptz (timestamp with time zone)",
            "sub/V2__b.sql:2: destructive-statement: DROP TABLE deletes it and its data; if that"
                + " is intended, add the comment -- schemagate:allow-destructive to the file",
            "sub/V2__b.sql:3: index-not-concurrent: warning: CREATE INDEX on t blocks writes to it"
                + " while the index builds; use CREATE INDEX CONCURRENTLY, in a migration of its"
                + " own");
  }

  @Test
  void malformedMigrationNameIsAnError() throws IOException {
    write("V1a__bad.sql", "SELECT 1;");
    write("R2__versioned_repeatable.sql", "SELECT 1;");
    List<LintFinding> findings = Linter.lint(folder);
    assertThat(findings)
        .extracting(LintFinding::file, LintFinding::rule, LintFinding::severity)
        .containsExactly(
            tuple("R2__versioned_repeatable.sql", "invalid-name", Severity.ERROR),
            tuple("V1a__bad.sql", "invalid-name", Severity.ERROR));
    assertThat(findings.get(1).message()).startsWith("invalid version '1a'");
  }

  @Test
  void sqlFileThatIsNotAMigrationIsAWarning() throws IOException {
    write("seed.sql", "INSERT INTO t VALUES (1);");
    write("v1__lowercase_prefix.sql", "SELECT 1;");
    assertThat(Linter.lint(folder))
        .extracting(LintFinding::rule, LintFinding::severity)
        .containsOnly(tuple("invalid-name", Severity.WARNING))
        .hasSize(2);
  }

  @Test
  void syntaxErrorIsReportedAtItsLineAndOtherStatementRulesSkipTheFile() throws IOException {
    write("V1__a.sql", "CREATE TABLE t (a timestamp);\n\nINSERT INTO t VALUES ('oops);\n");
    write("U1__a.sql", "DROP TABLE t;");
    assertThat(formatted()).containsExactly("V1__a.sql:3: syntax: unterminated quoted string");
  }

  @Test
  void fileThatIsNotUtf8IsASyntaxError() throws IOException {
    Files.write(folder.resolve("V1__a.sql"), new byte[] {'S', 'E', 'L', (byte) 0xff, ';'});
    write("U1__a.sql", "SELECT 1;");
    assertThat(rules()).containsExactly("syntax");
  }

  @Test
  void equalVersionsAreDuplicatesEvenWhenSpelledDifferently() throws IOException {
    write("V1__a.sql", "SELECT 1;");
    write("V1_0__b.sql", "SELECT 1;");
    write("U1__a.sql", "SELECT 1;");
    write("U1.0__b.sql", "SELECT 1;");
    write("V2__c.sql", "SELECT 1;");
    write("U2__c.sql", "SELECT 1;");
    List<LintFinding> findings = Linter.lint(folder);
    assertThat(findings)
        .extracting(LintFinding::file, LintFinding::rule)
        .containsExactly(
            tuple("U1__a.sql", "duplicate-version"), tuple("V1__a.sql", "duplicate-version"));
    assertThat(findings.get(1).message()).contains("V1_0__b.sql");
  }

  @Test
  void repeatablesWithTheSameDescriptionAreDuplicates() throws IOException {
    write("R__views.sql", "SELECT 1;");
    write("more/R__views.sql", "SELECT 2;");
    write("R__other_views.sql", "SELECT 3;");
    assertThat(Linter.lint(folder))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.file()).isEqualTo("more/R__views.sql");
              assertThat(f.rule()).isEqualTo("duplicate-version");
            });
  }

  @Test
  void versionedMigrationWithoutUndoIsAWarning() throws IOException {
    write("V1__a.sql", "SELECT 1;");
    write("U1_0__a.sql", "SELECT 1;");
    write("V1_1__b.sql", "SELECT 1;");
    write("R__c.sql", "SELECT 1;");
    assertThat(formatted())
        .containsExactly(
            "V1_1__b.sql:1: missing-undo: warning: no undo script U1.1__*.sql; undo and"
                + " downgrades cannot go below version 1.1");
  }

  @Test
  void mixedFileAndTransactionControlAreReportedByTheirRules() throws IOException {
    write("V1__a.sql", "BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);");
    write("U1__a.sql", "DROP TABLE t;");
    write("V2__b.sql", "ALTER TABLE t ADD COLUMN b int NOT NULL;");
    write("U2__b.sql", "ALTER TABLE t DROP COLUMN b;");
    assertThat(Linter.lint(folder))
        .extracting(LintFinding::file, LintFinding::line, LintFinding::rule)
        .containsExactly(
            tuple("V1__a.sql", 1, "transaction-control"),
            tuple("V1__a.sql", 3, "mixed-transactional"),
            tuple("V2__b.sql", 1, "add-column-not-null-without-default"));
  }

  @Test
  void missingFolderIsAnIoError() {
    assertThatThrownBy(() -> Linter.lint(folder.resolve("absent"))).isInstanceOf(IOException.class);
  }
}
