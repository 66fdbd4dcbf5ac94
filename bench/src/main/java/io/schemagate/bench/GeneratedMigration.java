package io.schemagate.bench;

/** The SQL of one generated migration: table {@code t<n>} referencing {@code t<n-1>}. */
record GeneratedMigration(int version) {

  static final int ROWS = 10;

  String tableName() {
    return "t" + version;
  }

  /** Flyway's description part of the file name, also Alembic's message. */
  String description() {
    return tableName();
  }

  String upSql() {
    String table = tableName();
    StringBuilder sql = new StringBuilder();
    sql.append("CREATE TABLE ").append(table).append(" (\n");
    sql.append("  id BIGINT PRIMARY KEY,\n");
    if (version == 1) {
      sql.append("  prev_id BIGINT,\n");
    } else {
      sql.append("  prev_id BIGINT REFERENCES t").append(version - 1).append(" (id),\n");
    }
    sql.append("  name TEXT NOT NULL,\n");
    sql.append("  amount NUMERIC(12, 2) NOT NULL DEFAULT 0,\n");
    sql.append("  created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n");
    sql.append(");\n");
    sql.append("CREATE INDEX ")
        .append(table)
        .append("_prev_id_idx ON ")
        .append(table)
        .append(" (prev_id);\n");
    sql.append("INSERT INTO ")
        .append(table)
        .append(" (id, prev_id, name, amount, created_at) VALUES\n");
    for (int row = 1; row <= ROWS; row++) {
      String prev = version == 1 ? "NULL" : Integer.toString(row);
      // A literal timestamp without ':' keeps SQLAlchemy's text() from seeing bind parameters.
      sql.append("  (")
          .append(row)
          .append(", ")
          .append(prev)
          .append(", 'row ")
          .append(row)
          .append("', ")
          .append(row)
          .append(".50, DATE '2025-01-01' + ")
          .append(row)
          .append(")")
          .append(row == ROWS ? ";\n" : ",\n");
    }
    return sql.toString();
  }

  String undoSql() {
    return "DROP TABLE " + tableName() + ";\n";
  }
}
