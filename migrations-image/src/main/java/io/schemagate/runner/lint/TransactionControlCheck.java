package io.schemagate.runner.lint;

import io.schemagate.runner.sql.SqlScript;
import io.schemagate.runner.sql.TransactionRequirement;
import java.util.List;

/**
 * {@code transaction-control}: {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK} and the like in a
 * migration. The runner already runs each migration in a transaction of its own (or in autocommit
 * when a statement needs it); a {@code COMMIT} inside would end that transaction early and record a
 * half-applied migration as applied.
 */
final class TransactionControlCheck implements ScriptCheck {

  static final String RULE = "transaction-control";

  @Override
  public List<LintFinding> check(MigrationScript migration, SqlScript script) {
    return script.statements().stream()
        .filter(s -> s.transactionRequirement() == TransactionRequirement.TRANSACTION_CONTROL)
        .map(
            s ->
                LintFinding.error(
                    migration.file(),
                    s.line(),
                    RULE,
                    Headline.of(s)
                        + " controls the transaction the runner manages; remove it (each"
                        + " migration already runs in a transaction of its own)"))
        .toList();
  }
}
