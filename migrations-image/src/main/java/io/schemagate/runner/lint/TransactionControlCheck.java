package io.schemagate.runner.lint;

import io.schemagate.runner.sql.TransactionRequirement;
import java.util.ArrayList;
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
  public Reading read(MigrationScript migration) {
    return new Pass(migration);
  }

  private static final class Pass implements Reading {
    private final MigrationScript migration;
    private final List<LintFinding> findings = new ArrayList<>();

    Pass(MigrationScript migration) {
      this.migration = migration;
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

    @Override
    public List<LintFinding> findings() {
      return findings;
    }
  }
}
