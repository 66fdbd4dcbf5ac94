package io.schemagate.operator.migration;

import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.migration.spec.UnknownFields;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user, in one Warning Event ({@value #REASON}) and one log line, which fields of their
 * SchemaMigration this operator ignores: once for each set of such fields, not on every
 * reconciliation. The memory of what was said is this process's, so a restarted operator says it
 * once more.
 */
final class UnknownFieldWarnings {
  static final String REASON = "UnknownFields";
  private static final Logger LOG = LoggerFactory.getLogger(UnknownFieldWarnings.class);

  private final EventRecorder events;

  /** By resource UID: the fields last reported. An entry is a few dozen bytes. */
  private final Map<String, List<String>> reported = new ConcurrentHashMap<>();

  UnknownFieldWarnings(EventRecorder events) {
    this.events = events;
  }

  void warnOnce(SchemaMigration sm) {
    List<String> fields = UnknownFields.of(sm);
    String uid = String.valueOf(sm.getMetadata().getUid());
    if (fields.isEmpty()) {
      reported.remove(uid);
      return;
    }
    if (fields.equals(reported.put(uid, fields))) {
      return;
    }
    String message =
        String.join(", ", fields)
            + (fields.size() == 1 ? ": not a field" : ": not fields")
            + " of "
            + SchemaGateApi.API_VERSION
            + " "
            + SchemaGateApi.KIND
            + " (a typo, or a field of a newer schemagate); ignored";
    events.warning(sm, REASON, message);
    LOG.warn("{}: {}", SchemaMigrationReconciler.ref(sm), message);
  }
}
