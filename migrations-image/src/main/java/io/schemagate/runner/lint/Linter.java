package io.schemagate.runner.lint;

import io.schemagate.runner.engine.MigrationFileName;
import io.schemagate.runner.sql.SqlFile;
import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.SqlStatementReader;
import io.schemagate.runner.sql.SqlSyntaxException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Static checks of a migrations folder, without a database.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>rule</th><th>severity</th><th>finds</th></tr>
 *   <tr><td>{@code syntax}</td><td>error</td>
 *       <td>an unterminated string, quoted identifier, comment or dollar quote, COPY data without
 *       its {@code \.} line, or a file that is not UTF-8</td></tr>
 *   <tr><td>{@code invalid-name}</td><td>error</td>
 *       <td>a {@code .sql} file named like a migration but malformed ({@code V1a__x.sql},
 *       {@code R1__x.sql})</td></tr>
 *   <tr><td>{@code invalid-name}</td><td>warning</td>
 *       <td>a {@code .sql} file that is not a migration at all, which Flyway silently ignores</td>
 *   </tr>
 *   <tr><td>{@code duplicate-version}</td><td>error</td>
 *       <td>two V (or two U) files with equal versions ({@code 1} = {@code 1.0}), or two R files
 *       with the same description</td></tr>
 *   <tr><td>{@code missing-undo}</td><td>warning</td>
 *       <td>a V file without a U file of the same version</td></tr>
 *   <tr><td>{@code timestamp-without-time-zone}</td><td>error</td>
 *       <td>{@code timestamp}, {@code timestamp(p)}, {@code timestamp without time zone} used as a
 *       type, including the typed literal {@code timestamp '...'}</td></tr>
 *   <tr><td>{@code destructive-statement}</td><td>error</td>
 *       <td>{@code DROP TABLE}, {@code DROP SCHEMA}, {@code TRUNCATE}, {@code ALTER TABLE ... DROP
 *       COLUMN} in a V or R file without the comment {@code -- schemagate:allow-destructive}</td>
 *   </tr>
 *   <tr><td>{@code index-not-concurrent}</td><td>warning</td>
 *       <td>{@code CREATE INDEX} without {@code CONCURRENTLY} on a table the file did not
 *       create</td></tr>
 *   <tr><td>{@code mixed-transactional}</td><td>error</td>
 *       <td>a statement that cannot run in a transaction in a file with ones that must</td></tr>
 *   <tr><td>{@code transaction-control}</td><td>error</td>
 *       <td>{@code BEGIN}, {@code COMMIT}, {@code ROLLBACK} and the like in a migration</td></tr>
 *   <tr><td>{@code add-column-not-null-without-default}</td><td>warning</td>
 *       <td>{@code ADD COLUMN ... NOT NULL} without {@code DEFAULT} on a table the file did not
 *       create</td></tr>
 * </table>
 *
 * <p>Files are found in the folder and its subfolders, as Flyway finds them; only names ending in
 * {@code .sql} are looked at. Statement rules run only on files with a valid migration name and no
 * syntax error.
 */
public final class Linter {

  static final String SYNTAX = "syntax";
  static final String INVALID_NAME = "invalid-name";

  private static final List<ScriptCheck> SCRIPT_CHECKS =
      List.of(
          TimestampWithoutTimeZoneCheck::new,
          DestructiveStatementCheck::new,
          IndexNotConcurrentCheck::new,
          MixedTransactionalCheck::new,
          TransactionControlCheck::new,
          AddColumnNotNullWithoutDefaultCheck::new);

  private static final List<FolderCheck> FOLDER_CHECKS =
      List.of(new DuplicateVersionCheck(), new MissingUndoCheck());

  private Linter() {}

  /**
   * Lints every {@code .sql} file under {@code location}.
   *
   * @return the findings sorted by file, then line; file names are relative to {@code location}
   * @throws IOException when the folder or a file cannot be read
   */
  public static List<LintFinding> lint(Path location) throws IOException {
    List<LintFinding> findings = new ArrayList<>();
    List<MigrationScript> migrations = new ArrayList<>();
    for (Path path : sqlFiles(location)) {
      String file = relativeName(location, path);
      Optional<MigrationFileName> name = parseName(file, path, findings);
      if (name.isEmpty()) {
        continue;
      }
      MigrationScript migration = new MigrationScript(file, name.get());
      migrations.add(migration);
      findings.addAll(checkStatements(migration, path));
    }
    FOLDER_CHECKS.forEach(c -> findings.addAll(c.check(migrations)));
    findings.sort(
        Comparator.comparing(LintFinding::file)
            .thenComparingInt(LintFinding::line)
            .thenComparing(LintFinding::rule));
    return findings;
  }

  private static List<Path> sqlFiles(Path location) throws IOException {
    try (Stream<Path> paths = Files.walk(location)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
          .sorted()
          .toList();
    }
  }

  private static String relativeName(Path location, Path path) {
    return location.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
  }

  private static Optional<MigrationFileName> parseName(
      String file, Path path, List<LintFinding> findings) {
    String fileName = path.getFileName().toString();
    try {
      Optional<MigrationFileName> name = MigrationFileName.parse(fileName);
      if (name.isEmpty()) {
        findings.add(
            LintFinding.warning(
                file,
                1,
                INVALID_NAME,
                "not a migration name, so Flyway ignores this file (expected"
                    + " V<version>__<description>.sql, U<version>__<description>.sql or"
                    + " R__<description>.sql)"));
      }
      return name;
    } catch (IllegalArgumentException e) {
      String reason =
          e.getMessage().startsWith(fileName + ": ")
              ? e.getMessage().substring(fileName.length() + 2)
              : e.getMessage();
      findings.add(LintFinding.error(file, 1, INVALID_NAME, reason));
      return Optional.empty();
    }
  }

  /**
   * The statement rules' findings for one file, read statement by statement in one pass; a file
   * with a syntax error, or not UTF-8, gets that finding alone.
   */
  private static List<LintFinding> checkStatements(MigrationScript migration, Path path)
      throws IOException {
    try (Reader reader = SqlFile.open(path)) {
      return check(SCRIPT_CHECKS, migration, new SqlStatementReader(reader));
    } catch (SqlSyntaxException e) {
      return List.of(LintFinding.error(migration.file(), e.line(), SYNTAX, e.reason()));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        return List.of(
            LintFinding.error(migration.file(), 1, SYNTAX, "the file is not valid UTF-8"));
      }
      throw e.getCause();
    }
  }

  /** Runs {@code checks} over the statements and comments of one file, in a single pass. */
  static List<LintFinding> check(
      List<ScriptCheck> checks, MigrationScript migration, SqlStatementReader statements) {
    List<ScriptCheck.Reading> readings = checks.stream().map(c -> c.read(migration)).toList();
    statements.onComment(comment -> readings.forEach(r -> r.comment(comment)));
    for (SqlStatement s = statements.next(); s != null; s = statements.next()) {
      StatementTokens tokens = StatementTokens.of(s);
      readings.forEach(r -> r.statement(tokens));
    }
    return readings.stream().flatMap(r -> r.findings().stream()).toList();
  }
}
