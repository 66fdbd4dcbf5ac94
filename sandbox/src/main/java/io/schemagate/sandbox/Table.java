package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateReconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table {@code kubectl get smig -A -o wide} prints from the CRD's printer columns, and one of
 * the Deployments the gate concerns.
 */
final class Table {
  private static final String[] HEADER = {
    "NAMESPACE", "NAME", "READY", "REVISION", "HEAD", "DURATION", "REASON", "AGE"
  };
  private static final String[] DEPLOYMENT_HEADER = {
    "NAMESPACE", "DEPLOYMENT", "GATE", "REQUIRES", "PAUSED", "PAUSED-BY", "AGE"
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
    return render(rows);
  }

  /**
   * The Deployments with a gate label or a hold of schemagate's, one a row: the SchemaMigration the
   * gate names, the revision it requires, whether it is paused and who paused it (empty: a person,
   * or nobody); empty when there is none.
   */
  static String deployments(List<Deployment> items) {
    List<String[]> rows = new ArrayList<>();
    rows.add(DEPLOYMENT_HEADER);
    Instant now = Instant.now();
    for (Deployment d : items) {
      if (!GateReconciler.concernsGate(d)) {
        continue;
      }
      Map<String, String> labels = orEmpty(d.getMetadata().getLabels());
      Map<String, String> annotations = orEmpty(d.getMetadata().getAnnotations());
      rows.add(
          new String[] {
            d.getMetadata().getNamespace(),
            d.getMetadata().getName(),
            labels.getOrDefault(SchemaGateApi.GATE_LABEL, ""),
            annotations.getOrDefault(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, ""),
            String.valueOf(d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused())),
            annotations.getOrDefault(SchemaGateApi.PAUSED_BY_ANNOTATION, ""),
            age(d.getMetadata().getCreationTimestamp(), now)
          });
    }
    return rows.size() == 1 ? "" : render(rows);
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  /** Columns as wide as their widest cell, three spaces apart, as kubectl prints them. */
  private static String render(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
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
