package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlScript;
import io.schemagate.runner.sql.SqlStatement;
import io.schemagate.runner.sql.TransactionRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code mixed-transactional}: a file with both statements that must run in a transaction and
 * statements PostgreSQL refuses inside one. The runner can apply such a file neither atomically nor
 * statement by statement without leaving half of it applied on failure. Transaction control is left
 * to {@link TransactionControlCheck}.
 */
final class MixedTransactionalCheck implements ScriptCheck {

  static final String RULE = "mixed-transactional";

  @Override
  public List<LintFinding> check(MigrationScript migration, SqlScript script) {
    List<LintFinding> findings = new ArrayList<>();
    Optional<SqlStatement> firstTransactional =
        script.statements().stream()
            .filter(s -> s.transactionRequirement() == TransactionRequirement.TRANSACTIONAL)
            .findFirst();
    if (firstTransactional.isEmpty()) {
      return findings;
    }
    for (SqlStatement statement : script.statements()) {
      if (statement.transactionRequirement() == TransactionRequirement.NON_TRANSACTIONAL) {
        findings.add(
            LintFinding.error(
                migration.file(),
                statement.line(),
                RULE,
                Headline.of(statement)
                    + " cannot run inside a transaction, but this file also has statements that"
                    + " must (the first at line "
                    + firstTransactional.get().line()
                    + "); move it into a migration of its own"));
      }
    }
    return findings;
  }
}
