package io.schemagate.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SpecLimits;
import io.schemagate.operator.testing.Await;
import io.schemagate.testkit.Fixtures;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  KubernetesClient client;

  @Test
  void sendsInTheBackgroundInTheOrderRecorded() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC());
    SchemaMigration sm = migration();
    for (int i = 0; i < 20; i++) {
      events.normal(sm, "Step", "step " + i);
    }
    events.warning(sm, "MigrationFailed", "V3__bad.sql: syntax error");

    List<Event> sent =
        new ArrayList<>(
            Await.until(
                "21 events",
                Duration.ofSeconds(10),
                () -> client.v1().events().inNamespace("team").list().getItems(),
                l -> l.size() == 21));
    sent.sort(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())));
    assertThat(sent.get(0).getMessage()).isEqualTo("step 0");
    assertThat(sent.get(19).getMessage()).isEqualTo("step 19");
    Event last = sent.get(20);
    assertThat(last.getType()).isEqualTo("Warning");
    assertThat(last.getReason()).isEqualTo("MigrationFailed");
    assertThat(last.getInvolvedObject().getName()).isEqualTo("accounts");
    assertThat(last.getInvolvedObject().getKind()).isEqualTo("SchemaMigration");
    assertThat(last.getSource().getComponent()).isEqualTo("schemagate-operator");
  }

  @Test
  void aStuckApiServerDropsEventsInsteadOfBlockingTheCaller() throws Exception {
    // A server that accepts connections and never answers: the sender blocks on the first event.
    try (ServerSocket stuck = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(stuck.accept());
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Config config =
          new ConfigBuilder()
              .withMasterUrl("http://127.0.0.1:" + stuck.getLocalPort())
              .withRequestTimeout(60_000)
              .withRequestRetryBackoffLimit(0)
              .build();
      try (KubernetesClient unanswered = new KubernetesClientBuilder().withConfig(config).build()) {
        EventRecorder events = new EventRecorder(unanswered, Clock.systemUTC(), 2);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
          events.normal(migration(), "Step", "step " + i);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // One in flight, two queued, the rest dropped (the first may not have been taken yet).
        assertThat(events.droppedCount()).isBetween(7L, 8L);
      }
    }
  }

  @Test
  void eventsOfTheLongestNamesAreValidObjectNames() {
    String longest =
        "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(70);

    for (String name : List.of("accounts", "a".repeat(100), longest, "x".repeat(243) + ".y")) {
      String event = EventRecorder.eventName(name);
      assertThat(event).hasSizeLessThanOrEqualTo(253).matches(SpecLimits.DNS_SUBDOMAIN);
      assertThat(event).startsWith(name.substring(0, Math.min(name.length(), 240)));
    }
    assertThat(EventRecorder.eventName("accounts")).matches("accounts\\.[0-9a-f]{8}");
  }

  private static SchemaMigration migration() {
    return Fixtures.migration("team", "accounts", sm -> sm.getMetadata().setUid("c0ffee"));
  }
}
