package io.schemagate.runner.lint;

import io.schemagate.runner.sql.TransactionRequirement;

/**
 * {@code transaction-control}: {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK} and the like in a
 * migration. The runner already runs each migration in a transaction of its own (or in autocommit
 * when a statement needs it); a {@code COMMIT} inside would end that transaction early and record a
 * half-applied migration as applied.
 */
final class TransactionControlCheck extends CheckPass {

  static final String RULE = "transaction-control";

  TransactionControlCheck(MigrationScript migration) {
    super(migration);
  }

  @Override
  public void statement(StatementTokens tokens) {
    if (tokens.requirement() == TransactionRequirement.TRANSACTION_CONTROL) {
      findings.add(
          LintFinding.error(
              migration.file(),
              tokens.line(),
              RULE,
              Headline.of(tokens)
                  + " controls the transaction the runner manages; remove it (each"
                  + " migration already runs in a transaction of its own)"));
    }
  }
}
