package io.schemagate.runner.lint;

import io.schemagate.runner.engine.MigrationFileName;

/** A migration file under lint: its path relative to the folder and its parsed name. */
record MigrationScript(String file, MigrationFileName name) {

  static MigrationScript of(String file) {
    String fileName = file.substring(file.lastIndexOf('/') + 1);
    return new MigrationScript(file, MigrationFileName.parse(fileName).orElseThrow());
  }

  boolean is(MigrationFileName.Kind kind) {
    return name.kind() == kind;
  }
}
