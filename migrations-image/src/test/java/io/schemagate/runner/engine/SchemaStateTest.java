package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.testing.Bundle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files matched against fabricated history rows; no database. */
class SchemaStateTest {
  @TempDir Path dir;
  Bundle files;
  final List<HistoryRow> rows = new ArrayList<>();

  @BeforeEach
  void setUp() {
    files = new Bundle(dir);
  }

  private Bundle v(int version, String sql) {
    return files.file("V" + version + "__m" + version + ".sql", sql);
  }

  private MigrationBundle bundle() {
    return MigrationBundle.read(dir);
  }

  /** A successful SQL row for a file of the bundle, with its real checksum. */
  private void applied(String fileName) {
    MigrationFileName name = MigrationFileName.parse(fileName).orElseThrow();
    int checksum =
        bundle().versioned().stream()
            .filter(s -> s.script().equals(fileName))
            .findFirst()
            .or(
                () ->
                    bundle().repeatable().stream()
                        .filter(s -> s.script().equals(fileName))
                        .findFirst())
            .orElseThrow()
            .checksum();
    row(name.versionText(), name.description(), HistoryRow.SQL, fileName, checksum, true);
  }

  private void row(
      String version,
      String description,
      String type,
      String script,
      Integer checksum,
      boolean success) {
    rows.add(
        new HistoryRow(
            rows.size() + 1,
            version,
            description,
            type,
            script,
            checksum,
            "postgres",
            Instant.parse("2025-01-01T00:00:00Z"),
            5,
            success));
  }

  private SchemaState state() {
    return SchemaState.of(bundle(), rows, false);
  }

  private static Map<String, MigrationState> states(SchemaState s) {
    return s.entries().stream()
        .collect(
            Collectors.toMap(
                e -> e.repeatable() ? "R:" + e.description() : e.versionText(),
                SchemaState.Entry::state));
  }

  private static MigrationVersion ver(String v) {
    return MigrationVersion.fromVersion(v);
  }

  // ---------------------------------------------------------------- states

  @Test
  void emptyDatabaseHasEverythingPendingAndNoCurrentRevision() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");

    SchemaState s = state();

    assertThat(s.current()).isNull();
    assertThat(states(s))
        .containsEntry("1", MigrationState.PENDING)
        .containsEntry("2", MigrationState.PENDING);
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void appliedAndPending() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    applied("V1__m1.sql");

    SchemaState s = state();

    assertThat(states(s))
        .containsEntry("1", MigrationState.APPLIED)
        .containsEntry("2", MigrationState.PENDING);
    assertThat(s.current()).isEqualTo(ver("1"));
    assertThat(s.pendingVersioned(null))
        .extracting(MigrationScript::script)
        .containsExactly("V2__m2.sql");
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void failedRowIsFailedNamesTheScriptAndSaysRepair() {
    v(1, "SELECT 1;");
    v(2, "CREATE INDEX CONCURRENTLY i ON t (x);");
    applied("V1__m1.sql");
    row("2", "m2", HistoryRow.SQL, "V2__m2.sql", FlywayChecksum.of("x"), false);

    SchemaState s = state();

    assertThat(states(s)).containsEntry("2", MigrationState.FAILED);
    assertThat(s.current()).as("a failed row is not a revision").isEqualTo(ver("1"));
    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V2__m2.sql").contains("repair");
    assertThat(s.pendingVersioned(null)).isEmpty();
  }

  @Test
  void appliedVersionAboveTheBundleIsFutureNotAProblem() {
    v(1, "SELECT 1;");
    applied("V1__m1.sql");
    row("7", "newer", HistoryRow.SQL, "V7__newer.sql", 42, true);

    SchemaState s = state();

    assertThat(states(s)).containsEntry("7", MigrationState.FUTURE);
    assertThat(s.future()).containsExactly("7");
    assertThat(s.current()).isEqualTo(ver("7"));
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void appliedVersionWhoseFileIsGoneIsMissing() {
    v(1, "SELECT 1;");
    v(3, "SELECT 3;");
    applied("V1__m1.sql");
    row("2", "gone", HistoryRow.SQL, "V2__gone.sql", 42, true);
    applied("V3__m3.sql");

    SchemaState s = state();

    assertThat(states(s)).containsEntry("2", MigrationState.MISSING);
    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V2__gone.sql").contains("missing");
  }

  @Test
  void unappliedFileBelowCurrentIsIgnoredAndAProblemNamingTheFile() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    v(3, "SELECT 3;");
    applied("V1__m1.sql");
    applied("V3__m3.sql");

    SchemaState s = state();

    assertThat(states(s)).containsEntry("2", MigrationState.IGNORED);
    assertThat(s.pendingVersioned(null)).isEmpty();
    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V2__m2.sql").contains("outOfOrder");
  }

  @Test
  void outOfOrderMakesAFileBelowCurrentPending() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    v(3, "SELECT 3;");
    applied("V1__m1.sql");
    applied("V3__m3.sql");

    SchemaState s = SchemaState.of(bundle(), rows, true);

    assertThat(states(s)).containsEntry("2", MigrationState.PENDING);
    assertThat(s.pendingVersioned(null))
        .extracting(MigrationScript::script)
        .containsExactly("V2__m2.sql");
    assertThat(s.problems()).isEmpty();
    assertThat(s.current()).isEqualTo(ver("3"));
  }

  @Test
  void baselineRowAndFilesBelowIt() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    v(3, "SELECT 3;");
    row("2", "<< Flyway Baseline >>", HistoryRow.BASELINE, "<< Flyway Baseline >>", null, true);

    SchemaState s = state();

    assertThat(states(s))
        .containsEntry("1", MigrationState.BELOW_BASELINE)
        .containsEntry("2", MigrationState.BASELINE)
        .containsEntry("3", MigrationState.PENDING);
    assertThat(s.baseline()).isEqualTo(ver("2"));
    assertThat(s.current()).isEqualTo(ver("2"));
    assertThat(s.pendingVersioned(null))
        .extracting(MigrationScript::script)
        .containsExactly("V3__m3.sql");
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void baselineAtAVersionWithoutAFileIsStillTheBaseline() {
    v(1, "SELECT 1;");
    v(5, "SELECT 5;");
    row("3", "<< Flyway Baseline >>", HistoryRow.BASELINE, "<< Flyway Baseline >>", null, true);

    SchemaState s = state();

    assertThat(states(s))
        .containsEntry("1", MigrationState.BELOW_BASELINE)
        .containsEntry("3", MigrationState.BASELINE)
        .containsEntry("5", MigrationState.PENDING);
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void repeatableStates() {
    v(1, "SELECT 1;");
    files.file("R__same.sql", "CREATE OR REPLACE VIEW a AS SELECT 1;");
    files.file("R__changed.sql", "CREATE OR REPLACE VIEW b AS SELECT 2;");
    files.file("R__new.sql", "CREATE OR REPLACE VIEW c AS SELECT 3;");
    applied("V1__m1.sql");
    applied("R__same.sql");
    row(null, "changed", HistoryRow.SQL, "R__changed.sql", 1234, true);

    SchemaState s = state();

    assertThat(states(s))
        .containsEntry("R:same", MigrationState.APPLIED)
        .containsEntry("R:changed", MigrationState.OUTDATED)
        .containsEntry("R:new", MigrationState.PENDING);
    assertThat(s.pendingRepeatable())
        .extracting(MigrationScript::script)
        .containsExactly("R__changed.sql", "R__new.sql");
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void repeatableAppliedTwiceUsesTheLatestRow() {
    files.file("R__view.sql", "CREATE OR REPLACE VIEW a AS SELECT 2;");
    row(null, "view", HistoryRow.SQL, "R__view.sql", 1, true);
    applied("R__view.sql");

    assertThat(states(state())).containsEntry("R:view", MigrationState.APPLIED);
  }

  @Test
  void currentIsTheHighestSuccessfulVersionNotTheLastInstalled() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    v(3, "SELECT 3;");
    applied("V1__m1.sql");
    applied("V3__m3.sql");
    applied("V2__m2.sql"); // out of order, installed last

    assertThat(SchemaState.of(bundle(), rows, true).current()).isEqualTo(ver("3"));
  }

  @Test
  void schemaMarkerRowIsNotAMigration() {
    v(1, "SELECT 1;");
    row(null, "<< Flyway Schema Creation >>", HistoryRow.SCHEMA, "\"app\"", null, true);

    SchemaState s = state();

    assertThat(s.entries()).hasSize(1);
    assertThat(states(s)).containsEntry("1", MigrationState.PENDING);
    assertThat(s.current()).isNull();
    assertThat(s.problems()).isEmpty();
  }

  // ---------------------------------------------------------------- problems

  @Test
  void editedAppliedFileIsAProblemNamingTheFileAndTheFix() {
    v(1, "SELECT 1;");
    applied("V1__m1.sql");
    v(1, "SELECT 1; -- edited");

    SchemaState s = state();

    assertThat(states(s)).containsEntry("1", MigrationState.APPLIED);
    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V1__m1.sql").contains("changed").contains("repair");
  }

  @Test
  void lineEndingChangeAloneIsNotAnEdit() {
    v(1, "SELECT 1;\nSELECT 2;\n");
    applied("V1__m1.sql");
    v(1, "SELECT 1;\r\nSELECT 2;\r\n");

    assertThat(state().problems()).isEmpty();
  }

  @Test
  void renamedDescriptionIsAProblem() {
    v(1, "SELECT 1;");
    row("1", "old name", HistoryRow.SQL, "V1__old_name.sql", FlywayChecksum.of("SELECT 1;"), true);

    SchemaState s = state();

    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V1__m1.sql").contains("old name");
  }

  @Test
  void duplicateVersionsInTheBundleAreProblems() {
    files.file("V2__a.sql", "SELECT 1;");
    files.file("V2__b.sql", "SELECT 2;");

    SchemaState s = state();

    assertThat(s.problems()).hasSize(1);
    assertThat(s.problems().get(0)).contains("V2__a.sql").contains("V2__b.sql");
  }

  @Test
  void deleteRowsHideMissingMigrations() {
    v(1, "SELECT 1;");
    v(3, "SELECT 3;");
    applied("V1__m1.sql");
    row("2", "gone", HistoryRow.SQL, "V2__gone.sql", 42, true);
    applied("V3__m3.sql");
    row("2", "gone", HistoryRow.DELETE, "V2__gone.sql", 42, true);
    row(null, "old view", HistoryRow.SQL, "R__old_view.sql", 7, true);
    row(null, "old view", HistoryRow.DELETE, "R__old_view.sql", 7, true);

    SchemaState s = state();

    assertThat(s.problems()).isEmpty();
    assertThat(states(s)).doesNotContainKey("2").doesNotContainKey("R:old view");
    assertThat(s.current()).isEqualTo(ver("3"));
  }

  @Test
  void teamsUndoRowsAreFlagged() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    applied("V1__m1.sql");
    applied("V2__m2.sql");
    row("2", "m2", HistoryRow.UNDO_SQL, "U2__m2.sql", 9, true);

    SchemaState s = state();

    assertThat(s.hasTeamsUndoRows()).isTrue();
    assertThat(s.problems()).anyMatch(p -> p.contains("UNDO_SQL"));
    assertThat(s.current()).as("the undone version no longer counts").isEqualTo(ver("1"));
  }

  // ---------------------------------------------------------------- plans

  @Test
  void pendingVersionedStopsAtTheTargetInVersionOrder() {
    for (int i = 1; i <= 12; i++) {
      v(i, "SELECT " + i + ";");
    }
    applied("V1__m1.sql");

    SchemaState s = state();

    assertThat(s.pendingVersioned(ver("3")))
        .extracting(MigrationScript::versionText)
        .containsExactly("2", "3");
    assertThat(s.pendingVersioned(null))
        .extracting(MigrationScript::versionText)
        .containsExactly("2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
    assertThat(s.pendingVersioned(ver("1"))).isEmpty();
  }

  @Test
  void appliedAboveIsNewestFirst() {
    for (int i = 1; i <= 11; i++) {
      v(i, "SELECT " + i + ";");
      applied("V" + i + "__m" + i + ".sql");
    }
    v(12, "SELECT 12;");

    SchemaState s = state();

    assertThat(s.appliedAbove(ver("8")))
        .extracting(SchemaState.Entry::versionText)
        .containsExactly("11", "10", "9");
    assertThat(s.appliedAbove(null))
        .hasSize(11)
        .first()
        .extracting(SchemaState.Entry::versionText)
        .isEqualTo("11");
    assertThat(s.appliedAbove(ver("11"))).isEmpty();
  }

  @Test
  void appliedAboveIncludesFutureRowsButNotPendingFiles() {
    v(1, "SELECT 1;");
    v(2, "SELECT 2;");
    applied("V1__m1.sql");
    row("9", "newer", HistoryRow.SQL, "V9__newer.sql", 1, true);

    assertThat(state().appliedAbove(null))
        .extracting(SchemaState.Entry::versionText)
        .containsExactly("9", "1");
  }
}
