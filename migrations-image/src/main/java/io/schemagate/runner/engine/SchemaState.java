package io.schemagate.runner.engine;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The bundle's files matched against the history table's rows: the state of every migration, the
 * current revision, what is pending and what is inconsistent. Pure: it reads nothing itself.
 */
public final class SchemaState {

  /** One migration as {@code info} shows it; {@code file} or {@code row} may be null. */
  public record Entry(
      MigrationVersion version,
      String description,
      String script,
      MigrationState state,
      MigrationScript file,
      HistoryRow row) {
    public boolean repeatable() {
      return version == null;
    }

    public String versionText() {
      return version == null ? null : version.getVersion();
    }
  }

  private final List<Entry> entries;
  private final MigrationVersion head;
  private final MigrationVersion current;
  private final MigrationVersion baseline;
  private final List<String> problems;
  private final boolean teamsUndoRows;

  private SchemaState(
      List<Entry> entries,
      MigrationVersion head,
      MigrationVersion current,
      MigrationVersion baseline,
      List<String> problems,
      boolean teamsUndoRows) {
    this.entries = entries;
    this.head = head;
    this.current = current;
    this.baseline = baseline;
    this.problems = problems;
    this.teamsUndoRows = teamsUndoRows;
  }

  /**
   * Matches files and rows.
   *
   * @param outOfOrder whether a file below the current revision that was never applied is pending
   *     (true) or an inconsistency (false, Flyway's default)
   */
  public static SchemaState of(MigrationBundle bundle, List<HistoryRow> rows, boolean outOfOrder) {
    Map<MigrationVersion, HistoryRow> byVersion = new HashMap<>();
    Map<String, HistoryRow> byDescription = new LinkedHashMap<>();
    MigrationVersion baseline = null;
    boolean teamsUndo = false;
    for (HistoryRow row : rows) {
      if (row.type().equals(HistoryRow.SCHEMA)) {
        continue;
      }
      if (row.version() == null) {
        if (row.type().equals(HistoryRow.DELETE)) {
          byDescription.remove(row.description());
        } else {
          byDescription.put(row.description(), row);
        }
        continue;
      }
      MigrationVersion v = row.parsedVersion();
      switch (row.type()) {
        case HistoryRow.DELETE -> byVersion.remove(v);
        case HistoryRow.UNDO_SQL -> {
          teamsUndo = true;
          if (row.success()) {
            byVersion.remove(v);
          }
        }
        case HistoryRow.BASELINE -> {
          baseline = v;
          byVersion.put(v, row);
        }
        default -> byVersion.put(v, row);
      }
    }

    MigrationVersion current = null;
    for (HistoryRow row : byVersion.values()) {
      if (row.success() && (current == null || row.parsedVersion().compareTo(current) > 0)) {
        current = row.parsedVersion();
      }
    }

    List<String> problems = new ArrayList<>(bundle.duplicates());
    List<Entry> entries = new ArrayList<>();
    Map<MigrationVersion, HistoryRow> unmatched = new HashMap<>(byVersion);
    for (MigrationScript file : bundle.versioned()) {
      HistoryRow row = unmatched.remove(file.version());
      MigrationState state;
      if (row == null) {
        if (baseline != null && file.version().compareTo(baseline) <= 0) {
          state = MigrationState.BELOW_BASELINE;
        } else if (current != null && file.version().compareTo(current) < 0 && !outOfOrder) {
          state = MigrationState.IGNORED;
          problems.add(
              file.script()
                  + " (version "
                  + file.versionText()
                  + ") was never applied and is below the current revision "
                  + current.getVersion()
                  + ": renumber it above the head, or enable outOfOrder in schemagate.conf");
        } else {
          state = MigrationState.PENDING;
        }
      } else if (!row.success()) {
        state = MigrationState.FAILED;
        problems.add(failedProblem(row));
      } else if (row.type().equals(HistoryRow.BASELINE)) {
        state = MigrationState.BASELINE;
      } else {
        state = MigrationState.APPLIED;
        checkUnchanged(file, row, problems);
      }
      entries.add(new Entry(file.version(), file.description(), file.script(), state, file, row));
    }
    MigrationScript head = bundle.head();
    for (HistoryRow row : unmatched.values()) {
      MigrationVersion v = row.parsedVersion();
      MigrationState state;
      if (!row.success()) {
        state = MigrationState.FAILED;
        problems.add(failedProblem(row));
      } else if (row.type().equals(HistoryRow.BASELINE)) {
        state = MigrationState.BASELINE;
      } else if (head == null || v.compareTo(head.version()) > 0) {
        state = MigrationState.FUTURE;
      } else {
        state = MigrationState.MISSING;
        problems.add(
            "version "
                + row.version()
                + " ("
                + row.script()
                + ") is applied to the database but missing from the bundle");
      }
      entries.add(new Entry(v, row.description(), row.script(), state, null, row));
    }
    entries.sort(Comparator.comparing(Entry::version));

    Map<String, HistoryRow> repeatableRows = new LinkedHashMap<>(byDescription);
    for (MigrationScript file : bundle.repeatable()) {
      HistoryRow row = repeatableRows.remove(file.description());
      MigrationState state;
      if (row == null) {
        state = MigrationState.PENDING;
      } else if (!row.success()) {
        state = MigrationState.FAILED;
        problems.add(failedProblem(row));
      } else if (!Integer.valueOf(file.checksum()).equals(row.checksum())) {
        state = MigrationState.OUTDATED;
      } else {
        state = MigrationState.APPLIED;
      }
      entries.add(new Entry(null, file.description(), file.script(), state, file, row));
    }
    for (HistoryRow row : repeatableRows.values()) {
      MigrationState state = row.success() ? MigrationState.MISSING : MigrationState.FAILED;
      problems.add(
          row.success()
              ? "repeatable migration "
                  + row.script()
                  + " is applied to the database but missing from the bundle"
              : failedProblem(row));
      entries.add(new Entry(null, row.description(), row.script(), state, null, row));
    }
    if (teamsUndo) {
      problems.add(
          "the history table holds Flyway Teams undo rows (type UNDO_SQL); the runner cannot"
              + " interpret them");
    }
    return new SchemaState(
        List.copyOf(entries),
        head == null ? null : head.version(),
        current,
        baseline,
        problems,
        teamsUndo);
  }

  private static String failedProblem(HistoryRow row) {
    String what = row.version() == null ? "repeatable migration" : "version " + row.version();
    return what
        + " ("
        + row.script()
        + ") failed earlier and may have left objects behind: clean them up, then run repair";
  }

  private static void checkUnchanged(MigrationScript file, HistoryRow row, List<String> problems) {
    if (!Integer.valueOf(file.checksum()).equals(row.checksum())) {
      problems.add(
          file.script()
              + " was changed after it was applied (checksum "
              + row.checksum()
              + " in the database, "
              + file.checksum()
              + " on disk): restore the applied file and put the change in a new migration,"
              + " or run repair to accept the edit");
    } else if (!file.description().equals(row.description())) {
      problems.add(
          file.script()
              + " was renamed after it was applied (description '"
              + row.description()
              + "' in the database): restore its name, or run repair");
    }
  }

  /**
   * The current revision of a history, without a bundle: the highest version applied successfully
   * and not undone (a baseline counts), the same revision {@code info} reports; null when nothing
   * is applied.
   */
  public static MigrationVersion currentOf(List<HistoryRow> rows) {
    return of(MigrationBundle.none(), rows, false).current();
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The highest successfully applied version (a baseline counts), or null on an empty database. */
  public MigrationVersion current() {
    return current;
  }

  public MigrationVersion baseline() {
    return baseline;
  }

  /** Inconsistencies that make validate fail and stop migrate before it changes anything. */
  public List<String> problems() {
    return problems;
  }

  public boolean hasTeamsUndoRows() {
    return teamsUndoRows;
  }

  /**
   * Versioned migrations migrate would apply to reach {@code target}, in the order it applies them.
   */
  public List<MigrationScript> pendingVersioned(MigrationVersion target) {
    return entries.stream()
        .filter(e -> !e.repeatable() && e.state() == MigrationState.PENDING)
        .filter(e -> target == null || e.version().compareTo(target) <= 0)
        .map(Entry::file)
        .toList();
  }

  /** Repeatable migrations that are new or changed. */
  public List<MigrationScript> pendingRepeatable() {
    return entries.stream()
        .filter(e -> e.repeatable())
        .filter(e -> e.state() == MigrationState.PENDING || e.state() == MigrationState.OUTDATED)
        .map(Entry::file)
        .toList();
  }

  /** Versions applied to the database that this bundle does not know, oldest first. */
  public List<String> future() {
    return entries.stream()
        .filter(e -> e.state() == MigrationState.FUTURE)
        .map(Entry::versionText)
        .toList();
  }

  /** Successfully applied versioned rows above {@code target}, newest first: what undo removes. */
  public List<Entry> appliedAbove(MigrationVersion target) {
    List<Entry> above =
        new ArrayList<>(
            entries.stream()
                .filter(e -> !e.repeatable())
                .filter(
                    e ->
                        e.state() == MigrationState.APPLIED
                            || e.state() == MigrationState.FUTURE
                            || e.state() == MigrationState.MISSING
                            || e.state() == MigrationState.BASELINE)
                .filter(e -> target == null || e.version().compareTo(target) > 0)
                .toList());
    above.sort(Comparator.comparing(Entry::version).reversed());
    return above;
  }

  /** Fills the result's revision, pending and future fields; safe to call repeatedly. */
  public void describeInto(RunResult result) {
    result.currentRevision(current == null ? null : current.getVersion());
    List<String> pending = new ArrayList<>();
    for (MigrationScript s : pendingVersioned(null)) {
      pending.add(s.versionText());
    }
    for (MigrationScript s : pendingRepeatable()) {
      pending.add("R:" + s.description());
    }
    result.pending(pending);
    result.future(future());
  }

  /**
   * Refuses a target that names no migration: neither a version of this bundle nor one in the
   * history table (null, the head or base, always passes). As Flyway's failOnMissingTarget: a
   * mistyped revision, or one of a newer bundle, must not report success at the head.
   *
   * @throws RunnerException ConfigurationInvalid naming the target and the bundle's head
   */
  public void requireKnownTarget(MigrationVersion target) {
    if (target == null
        || entries.stream().anyMatch(e -> !e.repeatable() && e.version().compareTo(target) == 0)) {
      return;
    }
    throw new RunnerException(
        Reason.ConfigurationInvalid,
        "target "
            + target.getVersion()
            + " is not a version of this bundle ("
            + (head == null ? "which has no migrations" : "head " + head.getVersion())
            + ") nor applied to the database");
  }

  /**
   * Stops before any change when the history and the files disagree.
   *
   * @throws RunnerException ValidationFailed naming the first problem
   */
  public void requireConsistent() {
    if (problems.isEmpty()) {
      return;
    }
    String message =
        problems.size() == 1
            ? problems.get(0)
            : problems.get(0) + " (and " + (problems.size() - 1) + " more: run validate)";
    FailureDetail detail =
        entries.stream()
            .filter(
                e ->
                    e.state() == MigrationState.FAILED
                        || e.state() == MigrationState.MISSING
                        || e.state() == MigrationState.IGNORED)
            .findFirst()
            .map(e -> new FailureDetail(e.versionText(), e.script(), null, null, false))
            .orElse(FailureDetail.NONE);
    throw new RunnerException(Reason.ValidationFailed, message, detail, null);
  }
}
