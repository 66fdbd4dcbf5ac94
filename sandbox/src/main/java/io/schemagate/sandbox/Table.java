package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The table {@code kubectl get smig -A -o wide} prints from the CRD's printer columns. */
final class Table {
  private static final String[] HEADER = {
    "NAMESPACE", "NAME", "READY", "REVISION", "HEAD", "DURATION", "REASON", "AGE"
  };

  private Table() {}

  static String of(List<SchemaMigration> items) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    Instant now = Instant.now();
    for (SchemaMigration sm : items) {
      Condition ready = Settle.condition(sm, "Ready");
      var status = sm.getStatus();
      Double duration =
          status == null || status.getLastRun() == null
              ? null
              : status.getLastRun().getDurationSeconds();
      rows.add(
          new String[] {
            sm.getMetadata().getNamespace(),
            sm.getMetadata().getName(),
            ready == null ? "" : ready.getStatus(),
            status == null || status.getCurrentRevision() == null
                ? ""
                : status.getCurrentRevision(),
            status == null || status.getHeadRevision() == null ? "" : status.getHeadRevision(),
            duration == null ? "" : trim(duration),
            ready == null ? "" : ready.getReason(),
            age(sm.getMetadata().getCreationTimestamp(), now)
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(row[i]);
        if (i < row.length - 1) {
          out.append(" ".repeat(widths[i] - row[i].length() + 3));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String trim(double d) {
    String s = Double.toString(d);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** kubectl's short ages: 45s, 3m, 2h, 4d. */
  static String age(String created, Instant now) {
    if (created == null) {
      return "";
    }
    Duration d = Duration.between(Instant.parse(created), now);
    long s = Math.max(d.getSeconds(), 0);
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    if (s < 172800) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
