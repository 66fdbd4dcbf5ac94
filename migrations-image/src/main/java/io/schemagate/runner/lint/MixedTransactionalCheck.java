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
final class MixedTransactionalCheck extends CheckPass {

  static final String RULE = "mixed-transactional";

  // Keeps the line and headline of each statement that cannot run in a transaction until the end of
  // the file, since the first one that must may come after them. /
  private record Refused(int line, String headline) {}

  private final List<Refused> refused = new ArrayList<>();
  private int firstTransactional = -1;

  MixedTransactionalCheck(MigrationScript migration) {
    super(migration);
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
