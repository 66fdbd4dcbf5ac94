package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.runner.sql.SqlFile;
import io.schemagate.runner.sql.SqlStatementReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a script runs is decided from all of its statements, held in memory or streamed. */
class PreparedScriptTest {
  @TempDir Path dir;
  int opened;

  private PreparedScript prepare(String text) throws Exception {
    Path file = dir.resolve("V1__x.sql");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    MigrationScript script =
        new MigrationScript(
            MigrationFileName.parse("V1__x.sql").orElseThrow(),
            "V1__x.sql",
            file,
            Files.size(file),
            FlywayChecksum.of(file));
    return PreparedScript.of(
        script,
        () -> {
          opened++;
          return new SqlStatementReader(SqlFile.open(file));
        });
  }

  private static List<String> sql(PreparedScript script) throws Exception {
    List<String> out = new ArrayList<>();
    script.forEach(s -> out.add(s.sql()));
    return out;
  }

  @Test
  void aScriptWithoutStatementsRunsInATransaction() throws Exception {
    PreparedScript script = prepare("-- nothing to do\n");

    assertThat(script.transactional()).isTrue();
    assertThat(script.nonTransactional()).isFalse();
  }

  @Test
  void onlyStatementsThatRefuseATransactionMakeANonTransactionalScript() throws Exception {
    PreparedScript script = prepare("CREATE INDEX CONCURRENTLY i ON t (a); VACUUM t;");

    assertThat(script.nonTransactional()).isTrue();
    assertThat(script.transactional()).isFalse();
  }

  @Test
  void aMixedScriptIsNeitherAndNamesTheLinesThatRefuseATransaction() throws Exception {
    PreparedScript script =
        prepare("CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;");

    assertThat(script.transactional()).isFalse();
    assertThat(script.nonTransactional()).isFalse();
    assertThat(script.nonTransactionalLines()).isEqualTo("line 2, line 3");
  }

  @Test
  void aSmallScriptIsReadOnceAndRunFromMemory() throws Exception {
    PreparedScript script = prepare("SELECT 1;\nSELECT 2;\n");

    assertThat(sql(script)).containsExactly("SELECT 1", "SELECT 2");
    assertThat(sql(script)).containsExactly("SELECT 1", "SELECT 2");
    assertThat(opened).isEqualTo(1);
  }

  @Test
  void aLargeScriptIsReadAgainEachTimeItRunsWithTheSameStatements() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() <= PreparedScript.IN_MEMORY_BYTES; i++) {
      text.append("INSERT INTO t VALUES (").append(i).append(", '").append("x".repeat(90));
      text.append("');\n");
    }
    text.append("VACUUM t;\n");
    PreparedScript script = prepare(text.toString());

    List<String> first = sql(script);

    assertThat(opened).as("a first pass, then one per run").isEqualTo(2);
    assertThat(first).hasSize((int) text.chars().filter(c -> c == ';').count());
    assertThat(first.get(first.size() - 1)).isEqualTo("VACUUM t");
    assertThat(script.nonTransactionalLines()).isEqualTo("line " + first.size());
    assertThat(sql(script)).isEqualTo(first);
    assertThat(opened).isEqualTo(3);
  }
}
