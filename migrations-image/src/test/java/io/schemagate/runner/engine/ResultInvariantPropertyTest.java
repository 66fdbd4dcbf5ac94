package io.schemagate.runner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schemagate.runner.Reason;
import io.schemagate.runner.testing.Bundle;
import io.schemagate.runner.testing.PostgresServer;
import io.schemagate.runner.testing.Runner;
import io.schemagate.runner.testing.Runner.Run;
import io.schemagate.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result invariant as a property: seeded random sequences of migrate (with and without a
 * target), undo, downgrade, repair, a held lock and failing scripts (transactional and not, forward
 * and undo) against PostgreSQL. After every step the result's currentRevision, pending, future,
 * applied and undone agree with {@code info} and with the history table read with JDBC. A failure
 * names its seed and step; {@code -Dschemagate.invariantSeed=SEED} replays that sequence alone.
 */
class ResultInvariantPropertyTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final int SEQUENCES = 4;
  private static final int STEPS = 30;
  private static final int VERSIONS = 6;

  /** The one non-transactional migration: an index built concurrently on t3. */
  private static final int CONCURRENT = 4;

  @TempDir Path dir;

  @Test
  void everyResultAgreesWithInfoAndTheHistoryTable() throws Exception {
    String replay = System.getProperty("schemagate.invariantSeed");
    long first = replay != null ? Long.parseLong(replay) : System.nanoTime();
    int sequences = replay != null ? 1 : SEQUENCES;
    for (int i = 0; i < sequences; i++) {
      new Sequence(first + i).run();
    }
  }

  /** One history row as the invariant needs it. */
  private record Row(int rank, int version, boolean success) {}

  /** One random sequence on a fresh database. */
  private final class Sequence {
    private final long seed;
    private final Random random;
    private final TestDatabase db;
    private final Bundle bundle;
    private final Runner runner;
    private String step = "start";

    Sequence(long seed) throws Exception {
      this.seed = seed;
      this.random = new Random(seed);
      this.db = PG.newDatabase();
      this.bundle = new Bundle(dir.resolve("seed-" + seed));
      this.runner = new Runner(db, bundle);
      for (int v = 1; v <= VERSIONS; v++) {
        restore(v);
      }
    }

    void run() throws Exception {
      for (int n = 1; n <= STEPS; n++) {
        step = "step " + n;
        List<Row> before = rows();
        Run run = randomStep(before);
        if (run != null) {
          check(run, before);
        }
      }
    }

    /** Does one random thing; returns the result of the command it ran, if it ran one. */
    private Run randomStep(List<Row> rows) throws Exception {
      int dice = random.nextInt(100);
      int v = 1 + random.nextInt(VERSIONS);
      if (dice < 25) {
        return random.nextBoolean()
            ? command("migrate")
            : command("migrate", "--target", Integer.toString(v));
      }
      if (dice < 40) {
        return command("undo", "--target", Integer.toString(random.nextInt(VERSIONS + 1)));
      }
      if (dice < 50) {
        return command("migrate", "--target", Integer.toString(v), "--allow-downgrade");
      }
      if (dice < 58) {
        return command("repair");
      }
      if (dice < 63) {
        return withLockHeld(() -> command("migrate", "--lock-wait", "100ms"));
      }
      if (dice < 76) {
        if (rows.stream().noneMatch(r -> r.version() == v)) {
          step += ": V" + v + " fails";
          bundle.file(versioned(v), v == CONCURRENT ? failingIndex() : failingTable(v));
        }
        return null;
      }
      if (dice < 88) {
        step += ": U" + v + " fails";
        bundle.file(
            undo(v),
            v == CONCURRENT ? "DROP INDEX CONCURRENTLY no_such_index;\n" : "SELECT 1/0;\n");
        return null;
      }
      step += ": V" + v + " and U" + v + " restored";
      restore(v);
      return null;
    }

    private Run command(String... args) {
      step += ": " + String.join(" ", args);
      return runner.run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    /** The result against the table, and info against both. */
    private void check(Run run, List<Row> before) throws Exception {
      String context =
          "seed "
              + seed
              + ", "
              + step
              + " (replay: -Dschemagate.invariantSeed="
              + seed
              + ")\n"
              + run;
      List<Row> after = rows();
      JsonNode r = run.json();
      assertThat(r).as(context).isNotNull();
      String reason = run.reason();
      assertThat(run.exitCode())
          .as(context)
          .isEqualTo(reason == null ? 0 : Reason.valueOf(reason).exitCode());
      assertThat(r.path("warnings").toString()).as(context).doesNotContain("could not be re-read");
      assertThat(r.path("stateKnown").asBoolean(false)).as(context + "\nstateKnown").isTrue();

      String current = current(after);
      List<String> pending = pending(after, current);
      assertState(r, current, pending, context);
      assertThat(versions(r.path("applied")))
          .as(context + "\napplied")
          .isEqualTo(added(before, after));
      assertThat(r.path("appliedCount").asInt()).as(context).isEqualTo(r.path("applied").size());
      if (r.has("undone")) {
        assertThat(versions(r.path("undone")))
            .as(context + "\nundone")
            .isEqualTo(removed(before, after));
      }

      Run info = runner.run("info");
      assertThat(info.exitCode()).as(context + "\ninfo: " + info).isZero();
      assertState(info.json(), current, pending, context + "\ninfo: " + info);
    }

    private void assertState(JsonNode r, String current, List<String> pending, String context) {
      assertThat(r.path("currentRevision").isNull() ? null : r.path("currentRevision").asText())
          .as(context + "\ncurrentRevision")
          .isEqualTo(current);
      assertThat(versions(r.path("pending"))).as(context + "\npending").isEqualTo(pending);
      assertThat(r.path("pendingCount").asInt()).as(context).isEqualTo(pending.size());
      assertThat(r.path("future").size()).as(context + "\nfuture").isZero();
    }

    private Run withLockHeld(java.util.concurrent.Callable<Run> work) throws Exception {
      try (Connection other = db.holdingMigrationLock()) {
        step += ": lock held by another session";
        return work.call();
      }
    }

    private List<Row> rows() throws Exception {
      if (!db.tableExists("flyway_schema_history")) {
        return List.of();
      }
      List<Row> rows = new ArrayList<>();
      for (String line :
          db.column(
              "SELECT installed_rank || ',' || version || ',' || success FROM flyway_schema_history"
                  + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
        String[] f = line.split(",");
        rows.add(new Row(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2].equals("true")));
      }
      return rows;
    }

    private void restore(int v) {
      bundle
          .file(
              versioned(v),
              v == CONCURRENT
                  ? "CREATE INDEX CONCURRENTLY t3_idx ON t3 (id);\n"
                  : "CREATE TABLE t" + v + " (id INT);\n")
          .file(
              undo(v),
              v == CONCURRENT ? "DROP INDEX CONCURRENTLY t3_idx;\n" : "DROP TABLE t" + v + ";\n");
    }
  }

  private static String versioned(int v) {
    return "V" + v + "__step_" + v + ".sql";
  }

  private static String undo(int v) {
    return "U" + v + "__step_" + v + ".sql";
  }

  private static String failingTable(int v) {
    return "CREATE TABLE t" + v + " (id INT);\nSELECT 1/0;\n";
  }

  /** Fails after leaving a failed row (non-transactional), which blocks until repair. */
  private static String failingIndex() {
    return "CREATE INDEX CONCURRENTLY t3_idx ON no_such_table (id);\n";
  }

  /** The highest successfully applied version, as the table says. */
  private static String current(List<Row> rows) {
    return rows.stream()
        .filter(Row::success)
        .map(Row::version)
        .max(Integer::compare)
        .map(String::valueOf)
        .orElse(null);
  }

  /** Versions of the bundle without any row, above the current revision, in order. */
  private static List<String> pending(List<Row> rows, String current) {
    int floor = current == null ? 0 : Integer.parseInt(current);
    return IntStream.rangeClosed(1, VERSIONS)
        .filter(v -> v > floor && rows.stream().noneMatch(r -> r.version() == v))
        .mapToObj(String::valueOf)
        .toList();
  }

  /** Successful rows that were not there before, in installed order. */
  private static List<String> added(List<Row> before, List<Row> after) {
    return after.stream()
        .filter(Row::success)
        .filter(r -> !before.contains(r))
        .sorted(Comparator.comparingInt(Row::rank))
        .map(r -> String.valueOf(r.version()))
        .toList();
  }

  /** Successful rows that are gone, newest first: what undo removed. */
  private static List<String> removed(List<Row> before, List<Row> after) {
    return before.stream()
        .filter(Row::success)
        .filter(r -> !after.contains(r))
        .sorted(Comparator.comparingInt(Row::rank).reversed())
        .map(r -> String.valueOf(r.version()))
        .toList();
  }

  private static List<String> versions(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(n.isTextual() ? n.asText() : n.path("version").asText());
    }
    return out;
  }
}
