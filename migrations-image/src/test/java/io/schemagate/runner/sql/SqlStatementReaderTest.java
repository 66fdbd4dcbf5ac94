package io.schemagate.runner.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a script from a stream, however the reads are cut, splits it exactly as reading it from
 * memory does: every token may straddle a read boundary.
 */
class SqlStatementReaderTest {

  /** A reader that hands out at most {@code chunk} characters per read. */
  private static Reader trickling(String text, int chunk) {
    return new StringReader(text) {
      @Override
      public int read(char[] cbuf, int off, int len) throws java.io.IOException {
        return super.read(cbuf, off, Math.min(len, chunk));
      }
    };
  }

  static Stream<Arguments> scripts() {
    List<Arguments> all = new ArrayList<>();
    String[] scripts = {
      "",
      "\uFEFFSELECT 1;\r\nSELECT 2",
      "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1), (2);\n-- done\n",
      "SELECT 'a;b', 'it''s;', E'\\';', \"q;\"\"x\" FROM t; SELECT 2;",
      "SELECT E'a\\''\n  'b;'\n  -- comment between\n  'c';\nSELECT 3;",
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $b$ $body$ LANGUAGE sql;\nSELECT $$;$$;",
      "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); SELECT CASE WHEN true THEN 1"
          + " END; END;\nSELECT 4;",
      "/* outer /* inner; */ still; */ SELECT 5; /* tail */",
      "COPY t (a, b) FROM STDIN; -- rest of line\n1\t2\r\n3\t\\N\n\\.\nSELECT 6;",
      "COPY t FROM STDIN;\n\\.\r\n",
      "SELECT 1 /* c */ + 2 -- x\n;;; SELECT x::int, y := 1, $1, 1.5e-3, 0x1F, 1..5 FROM t",
      "CREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nBEGIN;\nCOMMIT;",
    };
    for (String script : scripts) {
      for (int chunk : new int[] {1, 2, 3, 5, 64}) {
        all.add(Arguments.of(script, chunk));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "chunk {1}: {0}")
  @MethodSource("scripts")
  void readingInChunksSplitsLikeReadingFromMemory(String script, int chunk) {
    assertThat(Split.all(new SqlStatementReader(trickling(script, chunk))))
        .isEqualTo(Split.of(script));
  }

  @ParameterizedTest(name = "chunk {0}")
  @MethodSource("chunks")
  void aLongGeneratedScriptSplitsLikeReadingFromMemory(int chunk) {
    Random random = new Random(chunk);
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      script.append(
          switch (random.nextInt(5)) {
            case 0 ->
                "INSERT INTO t VALUES (" + i + ", 'x;" + "y".repeat(random.nextInt(300)) + "');\n";
            case 1 -> "-- comment " + i + "\r\n";
            case 2 -> "SELECT $q$" + "z;".repeat(random.nextInt(200)) + "$q$;";
            case 3 -> "/* " + "w".repeat(random.nextInt(100)) + " */ SELECT " + i + ";\n";
            default -> "COPY t FROM STDIN;\n" + i + "\tv\n\\.\n";
          });
    }
    String text = script.toString();

    assertThat(Split.all(new SqlStatementReader(trickling(text, chunk)))).isEqualTo(Split.of(text));
  }

  static Stream<Integer> chunks() {
    return Stream.of(7, 4096, 65536);
  }

  @ParameterizedTest(name = "chunk {0}")
  @MethodSource("chunks")
  void anUnterminatedDollarQuoteFailsWithItsLineWhateverTheChunks(int chunk) {
    String text = "SELECT 1;\n\nSELECT $x$ never closed;\n" + "filler\n".repeat(20_000);

    assertThatThrownBy(() -> Split.all(new SqlStatementReader(trickling(text, chunk))))
        .isInstanceOf(SqlSyntaxException.class)
        .extracting(e -> ((SqlSyntaxException) e).line())
        .isEqualTo(3);
  }
}
