package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.filesystem.FileSystemResource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flyway is the oracle: the checksum the runner stores must be the one stock Flyway computes for
 * the same file, or stock Flyway would report every runner-migrated database as modified.
 */
class FlywayChecksumTest {
  @TempDir Path dir;

  /** What stock Flyway computes for a file holding exactly these UTF-8 bytes. */
  private int flyway(String text) throws IOException {
    Path file = dir.resolve("V1__x.sql");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    return ChecksumCalculator.calculate(
        new FileSystemResource(null, file.toString(), StandardCharsets.UTF_8, false));
  }

  static Stream<Arguments> texts() {
    String longLine = "SELECT '" + "x".repeat(100_000) + "';";
    return Stream.of(
        Arguments.of("empty file", ""),
        Arguments.of("one line, no newline", "SELECT 1;"),
        Arguments.of("LF", "CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n"),
        Arguments.of("LF without trailing newline", "CREATE TABLE t (id INT);\nSELECT 1;"),
        Arguments.of("CRLF", "CREATE TABLE t (id INT);\r\nINSERT INTO t VALUES (1);\r\n"),
        Arguments.of("CR only", "CREATE TABLE t (id INT);\rINSERT INTO t VALUES (1);\r"),
        Arguments.of("mixed endings", "a;\nb;\r\nc;\rd;\n\r\ne;"),
        Arguments.of("blank lines", "\n\n\nSELECT 1;\n\n\n"),
        Arguments.of("only newlines", "\n"),
        Arguments.of("only CRLF", "\r\n"),
        Arguments.of("only CR", "\r"),
        Arguments.of("CR CR LF", "a;\r\r\nb;"),
        Arguments.of("LF CR", "a;\n\rb;"),
        Arguments.of("trailing spaces kept", "SELECT 1;   \n  \t\n"),
        Arguments.of("BOM", "\uFEFFSELECT 1;\n"),
        Arguments.of("BOM then CRLF", "\uFEFF\r\nSELECT 1;\r\n"),
        Arguments.of("BOM only", "\uFEFF"),
        Arguments.of("two BOMs", "\uFEFF\uFEFFSELECT 1;\n"),
        Arguments.of("BOM at the start of a later line", "SELECT 1;\n\uFEFFSELECT 2;\n"),
        Arguments.of("BOM inside a line", "SELECT '\uFEFF';\n"),
        Arguments.of("non-ASCII", "INSERT INTO t VALUES ('Grüße', 'naïve', '日本語', '€');\n"),
        Arguments.of("astral plane", "SELECT '\uD83D\uDE00 emoji';\n"),
        Arguments.of("U+2028 is not a line break", "SELECT 'a\u2028b';\nSELECT 'c\u0085d';\n"),
        Arguments.of("very long line", longLine + "\n" + longLine),
        Arguments.of("line longer than Flyway's buffer, CRLF", "x".repeat(4095) + "\r\n" + "y"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void checksumEqualsStockFlyways(String name, String text) throws IOException {
    assertThat(FlywayChecksum.of(text)).as(name).isEqualTo(flyway(text));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void bundleStoresStockFlywaysChecksumForTheFileOnDisk(String name, String text)
      throws IOException {
    Path bundleDir = Files.createDirectories(dir.resolve("bundle"));
    Files.write(bundleDir.resolve("V1__x.sql"), text.getBytes(StandardCharsets.UTF_8));

    MigrationBundle bundle = MigrationBundle.read(bundleDir);

    assertThat(bundle.versioned().get(0).checksum()).as(name).isEqualTo(flyway(text));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void lineEndingStyleDoesNotChangeTheChecksum(String name, String text) {
    String lf = text.replace("\r\n", "\n").replace('\r', '\n');
    assertThat(FlywayChecksum.of(text.replace("\r\n", "\n").replace("\r", "\n")))
        .as(name)
        .isEqualTo(FlywayChecksum.of(lf.replace("\n", "\r\n")));
  }
}
