package io.schemagate.runner.engine;

import io.schemagate.runner.RunResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flyway's repair on the history table only: removes failed rows, realigns checksums and
 * descriptions of applied migrations with the files, and marks migrations whose files are gone as
 * deleted (Flyway's DELETE rows). It never touches user objects — cleaning up what a failed
 * migration left behind is the user's call.
 */
public final class Repairer {
  private final DatabaseSession session;
  private final MigrationBundle bundle;

  public Repairer(DatabaseSession session, MigrationBundle bundle) {
    this.session = session;
    this.bundle = bundle;
  }

  public void repair(RunResult result) throws SQLException {
    MigrationScript head = bundle.head();
    result.headRevision(head == null ? null : head.versionText());
    List<Map<String, Object>> changes = new ArrayList<>();
    result.put("changes", changes);
    if (!session.history().exists()) {
      session.progress().line("Nothing to repair: the database has no history table");
      return;
    }
    Connection c = session.connection();
    try (AdvisoryLock lock = session.lock()) {
      SchemaState state = session.state(bundle);
      c.setAutoCommit(false);
      try {
        for (SchemaState.Entry e : state.entries()) {
          HistoryRow row = e.row();
          if (row == null) {
            continue;
          }
          switch (e.state()) {
            case FAILED -> {
              session.history().delete(row.installedRank());
              changes.add(change("removedFailed", e, "removed the failed row"));
            }
            case MISSING -> {
              session
                  .history()
                  .append(
                      row.version(),
                      row.description(),
                      HistoryRow.DELETE,
                      row.script(),
                      row.checksum(),
                      0,
                      true);
              changes.add(change("markedDeleted", e, "file is gone; marked as deleted"));
            }
            case APPLIED -> realign(e, changes);
            default -> {}
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException | Error ex) {
        ScriptExecutor.rollbackQuietly(c);
        throw ex;
      } finally {
        c.setAutoCommit(true);
      }
      for (Map<String, Object> ch : changes) {
        session.progress().line("Repaired " + ch.get("script") + ": " + ch.get("detail"));
      }
      if (changes.isEmpty()) {
        session.progress().line("Nothing to repair: the history matches the bundle");
      }
    }
  }

  private void realign(SchemaState.Entry e, List<Map<String, Object>> changes) throws SQLException {
    MigrationScript file = e.file();
    HistoryRow row = e.row();
    if (file == null || e.repeatable()) {
      return;
    }
    boolean checksum = !Integer.valueOf(file.checksum()).equals(row.checksum());
    boolean description = !file.description().equals(row.description());
    if (!checksum && !description) {
      return;
    }
    try (PreparedStatement ps =
        session
            .connection()
            .prepareStatement(
                "UPDATE "
                    + session.history().qualifiedName()
                    + " SET checksum = ?, description = ? WHERE installed_rank = ?")) {
      ps.setInt(1, file.checksum());
      ps.setString(2, file.description());
      ps.setInt(3, row.installedRank());
      ps.executeUpdate();
    }
    changes.add(
        change(
            "realigned",
            e,
            (checksum ? "checksum " + row.checksum() + " → " + file.checksum() : "")
                + (checksum && description ? ", " : "")
                + (description
                    ? "description '" + row.description() + "' → '" + file.description() + "'"
                    : "")));
  }

  private static Map<String, Object> change(String kind, SchemaState.Entry e, String detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", kind);
    m.put("version", e.versionText());
    m.put("script", e.script());
    m.put("detail", detail);
    return m;
  }
}
