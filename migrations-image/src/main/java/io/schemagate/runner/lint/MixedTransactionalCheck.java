package io.schemagate.runner.lint;

import io.schemagate.runner.sql.TransactionRequirement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mixed-transactional}: a file with both statements that must run in a transaction and
 * statements PostgreSQL refuses inside one. The runner can apply such a file neither atomically nor
 * statement by statement without leaving half of it applied on failure. Transaction control is left
 * to {@link TransactionControlCheck}.
 */
final class MixedTransactionalCheck implements ScriptCheck {

  static final String RULE = "mixed-transactional";

  @Override
  public Reading read(MigrationScript migration) {
    return new Pass(migration);
  }

  /**
   * Keeps the line and headline of each statement that cannot run in a transaction until the end of
   * the file, since the first one that must may come after them.
   */
  private static final class Pass implements Reading {
    private record Refused(int line, String headline) {}

    private final MigrationScript migration;
    private final List<Refused> refused = new ArrayList<>();
    private int firstTransactional = -1;

    Pass(MigrationScript migration) {
      this.migration = migration;
    }

    @Override
    public void statement(StatementTokens tokens) {
      TransactionRequirement requirement = tokens.requirement();
      if (requirement == TransactionRequirement.TRANSACTIONAL && firstTransactional < 0) {
        firstTransactional = tokens.line();
      } else if (requirement == TransactionRequirement.NON_TRANSACTIONAL) {
        refused.add(new Refused(tokens.line(), Headline.of(tokens)));
      }
    }

    @Override
    public List<LintFinding> findings() {
      if (firstTransactional < 0) {
        return List.of();
      }
      return refused.stream()
          .map(
              r ->
                  LintFinding.error(
                      migration.file(),
                      r.line(),
                      RULE,
                      r.headline()
                          + " cannot run inside a transaction, but this file also has statements"
                          + " that must (the first at line "
                          + firstTransactional
                          + "); move it into a migration of its own"))
          .toList();
    }
  }
}
