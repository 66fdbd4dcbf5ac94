package io.schemagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --trace DIR}: where the slowest SchemaMigrations of each round spent the time between
 * their Job seen succeeded and the SchemaMigration seen Ready. Read from two traces in wall-clock
 * microseconds on one machine: the bench's watches ({@code bench-trace-R.tsv}) and the operator's
 * JOSDK hooks ({@code operator-trace.tsv}: each event it received, each reconciliation's start and
 * end, per controller and resource).
 */
final class GateTrace {
  private GateTrace() {}

  /** One line of the operator's trace. */
  record Hook(long micros, String what, String controller, String resource) {}

  static String explain(Path dir, int rounds, int slowest) throws IOException {
    List<Hook> hooks = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("operator-trace.tsv"))) {
      String[] f = line.split("\t");
      if (f.length >= 4) {
        hooks.add(new Hook(Long.parseLong(f[0]), f[1], f[2], f[3]));
      }
    }
    hooks.sort((a, b) -> Long.compare(a.micros(), b.micros()));
    StringBuilder out = new StringBuilder("\n### Where the slowest waited (--trace)\n\n");
    out.append(
        "| round | SchemaMigration | Job succeeded → Ready | → its first event at the operator |"
            + " → its reconciliation started | reconciliation | other reconciliations started"
            + " meanwhile |\n|---|---|---|---|---|---|---|\n");
    for (int r = 0; r < rounds; r++) {
      Path file = dir.resolve("bench-trace-" + r + ".tsv");
      if (!Files.exists(file)) {
        continue;
      }
      Map<String, Long> succeeded = new HashMap<>();
      Map<String, Long> ready = new HashMap<>();
      for (String line : Files.readAllLines(file)) {
        String[] f = line.split("\t");
        if (f[1].equals("job-succeeded")) {
          succeeded.put(f[2], Long.parseLong(f[0]));
        } else if (f[1].equals("ready")) {
          ready.put(f[2], Long.parseLong(f[0]));
        }
      }
      String ofRound = "-r" + r + "-"; // the bench names round r's SchemaMigrations gate-rR-I
      List<String> slow =
          succeeded.keySet().stream()
              .filter(ready::containsKey)
              .filter(sm -> sm.contains(ofRound))
              .sorted(
                  (a, b) ->
                      Long.compare(
                          ready.get(b) - succeeded.get(b), ready.get(a) - succeeded.get(a)))
              .limit(slowest)
              .toList();
      for (String sm : slow) {
        long from = succeeded.get(sm);
        long to = ready.get(sm);
        Long event = null;
        Long start = null;
        Long end = null;
        int others = 0;
        // The operator may see the Job's event a little before the bench's watch does.
        for (Hook h : hooks) {
          // Its reconciliation ends after its status write, which the bench may see first.
          if (h.micros() < from - 100_000) {
            continue;
          }
          if (h.micros() > to + 1_000_000) {
            break;
          }
          boolean mine = h.resource().equals(sm) && "schemamigration".equals(h.controller());
          if (mine && event == null && h.what().startsWith("event")) {
            event = h.micros();
          } else if (mine && event != null && start == null && h.what().equals("start")) {
            start = h.micros();
          } else if (mine && start != null && end == null && h.what().equals("end")) {
            end = h.micros();
          } else if (!mine
              && start == null
              && h.what().equals("start")
              && h.micros() >= from
              && h.micros() <= to) {
            others++;
          }
        }
        out.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %s | %s | %s | %s | %d |%n",
                r,
                sm,
                ms(to - from),
                event == null ? "—" : ms(event - from),
                start == null || event == null ? "—" : ms(start - event),
                start == null || end == null ? "—" : ms(end - start),
                others));
      }
    }
    return out.toString();
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%d ms", Math.round(micros / 1000.0));
  }
}
