package io.schemagate.runner.sql;

import java.util.ArrayList;
import java.util.List;

/** Every statement of a script at once, for tests that compare whole splits. */
final class Split {
  private Split() {}

  static List<SqlStatement> of(String text) {
    return all(SqlStatementReader.of(text));
  }

  static List<SqlStatement> all(SqlStatementReader reader) {
    List<SqlStatement> statements = new ArrayList<>();
    for (SqlStatement s = reader.next(); s != null; s = reader.next()) {
      statements.add(s);
    }
    return statements;
  }
}
