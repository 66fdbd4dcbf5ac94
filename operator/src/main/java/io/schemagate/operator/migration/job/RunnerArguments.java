package io.schemagate.operator.migration.job;

import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.LintMode;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.SchemaMigrationSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner's command line for one attempt. It never holds a credential: the URL and the user name
 * and password reach the runner through its environment.
 */
final class RunnerArguments {
  static final String RESULT_FILE = "/dev/termination-log";

  private static final DatabaseSpec DATABASE_DEFAULTS = new DatabaseSpec();

  private RunnerArguments() {}

  static List<String> of(SchemaMigrationSpec spec, RunCommand command) {
    List<String> args = new ArrayList<>();
    args.add(command.argument());
    args.add("--result-file");
    args.add(RESULT_FILE);
    DatabaseSpec database = spec.getDatabase();
    args.add("--lock-timeout");
    args.add(orDefault(database.getLockTimeout(), DATABASE_DEFAULTS.getLockTimeout()));
    List<String> schemas = database.getSchemas();
    if (schemas != null && !schemas.isEmpty()) {
      args.add("--schemas");
      args.add(String.join(",", schemas));
    }
    switch (command) {
      case MIGRATE -> addMigrateOptions(spec, args);
      case BASELINE -> {
        args.add("--version");
        args.add(requireText(spec.getBaselineRevision(), "spec.baselineRevision"));
      }
      case INFO -> {
        // info takes no options of its own: it reports, whatever the target.
      }
    }
    return args;
  }

  private static void addMigrateOptions(SchemaMigrationSpec spec, List<String> args) {
    String target = spec.getTargetRevision();
    if (target != null && !target.isEmpty()) {
      args.add("--target");
      args.add(target);
    }
    if (Boolean.TRUE.equals(spec.getAllowDowngrade())) {
      args.add("--allow-downgrade");
    }
    if (spec.getLint() == null || spec.getLint() == LintMode.Enforce) {
      args.add("--lint");
    } else if (spec.getLint() == LintMode.Warn) {
      // Findings become warnings in the result; the run applies anyway.
      args.add("--lint-warn");
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static String requireText(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a baseline run needs " + field);
    }
    return value;
  }
}
