package io.schemagate.runner.lint;

import java.util.ArrayList;
import java.util.List;

/** One check's pass over one migration file, gathering its findings as it reads. */
abstract class CheckPass implements ScriptCheck.Reading {
  final MigrationScript migration;
  final List<LintFinding> findings = new ArrayList<>();

  CheckPass(MigrationScript migration) {
    this.migration = migration;
  }

  @Override
  public List<LintFinding> findings() {
    return findings;
  }
}
