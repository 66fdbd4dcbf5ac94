package io.schemagate.runner.cli;

import io.schemagate.runner.FailureDetail;
import io.schemagate.runner.Plural;
import io.schemagate.runner.Reason;
import io.schemagate.runner.RunResult;
import io.schemagate.runner.RunnerException;
import io.schemagate.runner.engine.MigrationState;
import io.schemagate.runner.engine.Progress;
import io.schemagate.runner.engine.SchemaState;
import io.schemagate.runner.lint.LintFinding;
import io.schemagate.runner.lint.Severity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns lint findings into a verdict: errors fail with LintFailed, warnings are reported. */
final class LintGate {
  private LintGate() {}

  /** Every finding counts (the {@code lint} command). */
  static void check(List<LintFinding> findings, RunResult result, Progress progress) {
    check(findings, result, progress, false);
  }

  /**
   * @param warnOnly report errors as warnings too and never fail ({@code migrate --lint-warn})
   */
  private static void check(
      List<LintFinding> findings, RunResult result, Progress progress, boolean warnOnly) {
    result.put("findings", findings.stream().map(LintGate::toMap).toList());
    long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings = findings.size() - errors;
    result.put("errorCount", errors);
    result.put("warningCount", warnings);
    for (LintFinding f : findings) {
      progress.line(f.format());
      if (f.severity() == Severity.WARNING || warnOnly) {
        // Warnings are listed as such already; the finding's own "warning:" would say it twice.
        result.warn(f.file() + ":" + f.line() + ": " + f.rule() + ": " + f.message());
      }
    }
    if (errors > 0 && !warnOnly) {
      LintFinding first =
          findings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst().orElseThrow();
      throw new RunnerException(
          Reason.LintFailed,
          Plural.of(errors, "lint error")
              + (warnings > 0 ? " and " + Plural.of(warnings, "warning") : "")
              + "; first: "
              + first.format(),
          new FailureDetail(null, first.file(), first.line(), null, false),
          null);
    }
  }

  /**
   * Only findings in files that are about to run count ({@code migrate --lint}): an applied file
   * cannot be fixed any more, and blocking on it would wedge every later release.
   */
  static void checkPending(
      List<LintFinding> findings,
      SchemaState state,
      RunResult result,
      Progress progress,
      boolean warnOnly) {
    Set<String> pending = new HashSet<>();
    for (SchemaState.Entry e : state.entries()) {
      if (e.state() == MigrationState.PENDING || e.state() == MigrationState.OUTDATED) {
        pending.add(e.script());
      }
    }
    check(
        findings.stream().filter(f -> f.file() == null || pending.contains(f.file())).toList(),
        result,
        progress,
        warnOnly);
  }

  private static Map<String, Object> toMap(LintFinding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", f.file());
    m.put("line", f.line());
    m.put("rule", f.rule());
    m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
    m.put("message", f.message());
    return m;
  }
}
