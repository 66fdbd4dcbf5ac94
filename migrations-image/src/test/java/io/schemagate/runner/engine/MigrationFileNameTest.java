package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.runner.engine.MigrationFileName.Kind;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationFileNameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "V1__a.sql|1|a",
        "V1_1__two_words.sql|1.1|two words",
        "V2.5__dots.sql|2.5|dots",
        "V010__leading_zero.sql|010|leading zero",
        "V3__many_under_scores_in_it.sql|3|many under scores in it",
        "V4__double__separator.sql|4|double  separator",
        "V5___leading_underscore.sql|5|' leading underscore'",
        "V2_0_1__x.sql|2.0.1|x",
        "V20240101120000__timestamp.sql|20240101120000|timestamp",
      })
  void versionedNamesParseAsFlywayStoresThem(String file, String version, String description) {
    MigrationFileName name = MigrationFileName.parse(file).orElseThrow();

    assertThat(name.kind()).isEqualTo(Kind.VERSIONED);
    assertThat(name.versionText()).isEqualTo(version);
    assertThat(name.description()).isEqualTo(description);
    assertThat(name.fileName()).isEqualTo(file);
  }

  @Test
  void versionsCompareNumerically() {
    MigrationVersion v9 = MigrationFileName.parse("V9__a.sql").orElseThrow().version();
    MigrationVersion v10 = MigrationFileName.parse("V10__a.sql").orElseThrow().version();
    MigrationVersion v010 = MigrationFileName.parse("V010__a.sql").orElseThrow().version();
    MigrationVersion v1_1 = MigrationFileName.parse("V1_1__a.sql").orElseThrow().version();
    MigrationVersion v1dot1 = MigrationFileName.parse("V1.1__a.sql").orElseThrow().version();

    assertThat(v10).isGreaterThan(v9);
    assertThat(v010).isEqualTo(v10);
    assertThat(v1_1).isEqualTo(v1dot1);
  }

  @Test
  void undoNamesCarryTheirVersion() {
    MigrationFileName name = MigrationFileName.parse("U2_1__add_index.sql").orElseThrow();

    assertThat(name.kind()).isEqualTo(Kind.UNDO);
    assertThat(name.versionText()).isEqualTo("2.1");
    assertThat(name.description()).isEqualTo("add index");
  }

  @Test
  void repeatableNamesHaveNoVersion() {
    MigrationFileName name = MigrationFileName.parse("R__user_view.sql").orElseThrow();

    assertThat(name.kind()).isEqualTo(Kind.REPEATABLE);
    assertThat(name.version()).isNull();
    assertThat(name.versionText()).isNull();
    assertThat(name.description()).isEqualTo("user view");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"V__no_version.sql", "Vabc__letters.sql", "V1.x__bad.sql", "U__no_version.sql"})
  void malformedVersionedNamesThrowNamingTheFile(String file) {
    assertThatThrownBy(() -> MigrationFileName.parse(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file);
  }

  @Test
  void repeatableWithAVersionThrowsNamingTheFile() {
    assertThatThrownBy(() -> MigrationFileName.parse("R1__view.sql"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R1__view.sql")
        .hasMessageContaining("repeatable");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "README.md",
        "notes.sql",
        "schemagate.conf",
        "V1__a.sql.bak",
        "V1__a.txt",
        "v1__lowercase_prefix.sql",
        "X1__other_prefix.sql",
        "init.sql"
      })
  void nonMigrationNamesAreIgnored(String file) {
    assertThat(MigrationFileName.parse(file)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Add user email|add_user_email",
        "Add user email!|add_user_email",
        "  --Drop   legacy/old tables--  |drop_legacy_old_tables",
        "UPPER 123 mixed|upper_123_mixed",
        "!!!|migration",
        "Grüße|gr_e",
      })
  void slugIsSafeForAFileName(String description, String slug) {
    assertThat(MigrationFileName.slug(description)).isEqualTo(slug);
  }
}
