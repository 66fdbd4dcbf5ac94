package io.schemagate.operator.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on an object (a SchemaMigration, a gated Deployment): Normal for
 * progress, Warning for failures, CamelCase reasons, short notes. Callers pass only text that is
 * already free of secrets.
 *
 * <p>Events are sent in the background, in the order they were recorded, as client-go's recorder
 * does: a reconciliation does not wait for them, so a slow API server delays no status write. The
 * queue is bounded ({@value #QUEUE} events); when the API server cannot keep up, further events are
 * dropped and the drop is logged. The one sender thread ends when idle and is a daemon.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final int MAX_NAME = 253;
  static final int QUEUE = 1000;

  private final KubernetesClient client;
  private final Clock clock;
  private final Executor sender;
  private final AtomicLong dropped = new AtomicLong();

  /** A recorder that sends in the background. */
  public EventRecorder(KubernetesClient client, Clock clock) {
    this(client, clock, QUEUE);
  }

  EventRecorder(KubernetesClient client, Clock clock, int queue) {
    this.client = client;
    this.clock = clock;
    this.sender =
        new ThreadPoolExecutor(
            0,
            1,
            5,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "schemagate-events");
              t.setDaemon(true);
              return t;
            },
            (task, pool) -> drop());
  }

  /** A recorder that sends on {@code sender} ({@code Runnable::run}: in the caller's thread). */
  public EventRecorder(KubernetesClient client, Clock clock, Executor sender) {
    this.client = client;
    this.clock = clock;
    this.sender = sender;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String now = clock.instant().toString();
    String note = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(eventName(object.getMetadata().getName()))
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .withResourceVersion(object.getMetadata().getResourceVersion())
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
      sender.execute(() -> send(object, reason, event));
    } catch (RejectedExecutionException e) {
      drop();
    }
  }

  /**
   * The resource's name and a random suffix, as client-go names Events, cut to fit an object name
   * (253 characters) when the resource's own name leaves no room for the suffix.
   */
  static String eventName(String resourceName) {
    String suffix = "." + UUID.randomUUID().toString().substring(0, 8);
    String prefix = resourceName;
    if (prefix.length() + suffix.length() > MAX_NAME) {
      // Each dot-separated part of a name must end with a letter or digit.
      prefix = prefix.substring(0, MAX_NAME - suffix.length()).replaceAll("[-.]+$", "");
    }
    return prefix + suffix;
  }

  private void send(HasMetadata object, String reason, Event event) {
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (RuntimeException e) {
      // An event is a courtesy; failing to record one must not fail the reconciliation.
      LOG.warn(
          "{}({}/{}): could not record event {}: {}",
          object.getKind(),
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          reason,
          e.getMessage());
    }
  }

  private void drop() {
    long n = dropped.incrementAndGet();
    if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... drop: visible, not a flood
      LOG.warn("event queue full: {} events dropped so far", n);
    }
  }

  /** How many events were dropped because the queue was full. */
  long droppedCount() {
    return dropped.get();
  }
}
