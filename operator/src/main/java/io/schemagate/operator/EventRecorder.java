package io.schemagate.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a SchemaMigration: Normal for progress, Warning for failures,
 * CamelCase reasons, short notes. Callers pass only text that is already free of secrets.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(SchemaMigration sm, String reason, String message) {
    record(sm, "Normal", reason, message);
  }

  public void warning(SchemaMigration sm, String reason, String message) {
    record(sm, "Warning", reason, message);
  }

  private void record(SchemaMigration sm, String type, String reason, String message) {
    String now = clock.instant().toString();
    String note = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                sm.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(sm.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(sm.getApiVersion())
                    .withKind(sm.getKind())
                    .withName(sm.getMetadata().getName())
                    .withNamespace(sm.getMetadata().getNamespace())
                    .withUid(sm.getMetadata().getUid())
                    .withResourceVersion(sm.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(note)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent("schemagate-operator")
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(sm.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconciliation.
      LOG.warn(
          "SchemaMigration({}/{}): could not record event {}: {}",
          sm.getMetadata().getNamespace(),
          sm.getMetadata().getName(),
          reason,
          e.getMessage());
    }
  }
}
