package io.schemagate.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexed dispatcher must answer exactly as fabric8's stock CRUD dispatcher does: the same
 * random sequence of requests goes to a stock server and an indexed one, and every answer (object,
 * list, status code) must be the same, apart from the random uid and the wall-clock timestamps.
 */
class IndexedCrudDispatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMESPACES = {"a", "b", "c"};
  private static final String[] NAMES = {"x", "y", "z", "w"};

  private KubernetesMockServer stockServer;
  private KubernetesMockServer indexedServer;
  private IndexedCrudDispatcher indexed;
  private KubernetesCrudDispatcher stock;
  private KubernetesClient stockClient;
  private KubernetesClient indexedClient;

  @BeforeEach
  void start() throws Exception {
    stock = new KubernetesCrudDispatcher();
    indexed = new IndexedCrudDispatcher();
    stockServer = MockApiServer.start(stock);
    indexedServer = MockApiServer.start(indexed);
    stockClient = stockServer.createClient();
    indexedClient = indexedServer.createClient();
    SandboxCluster.installCrd(stockClient);
    SandboxCluster.installCrd(indexedClient);
  }

  @AfterEach
  void stop() {
    stockClient.close();
    indexedClient.close();
    stockServer.destroy();
    indexedServer.destroy();
  }

  @Test
  void answersEveryRequestAsTheStockDispatcherDoes() throws Exception {
    Random random = new Random(20261126);
    List<String> log = new ArrayList<>();
    List<List<String>> stockEvents = new ArrayList<>();
    List<List<String>> indexedEvents = new ArrayList<>();
    List<io.fabric8.kubernetes.client.Watch> watches = new ArrayList<>();
    watchAll(stockClient, stockEvents, watches);
    watchAll(indexedClient, indexedEvents, watches);
    for (int step = 0; step < 600; step++) {
      if (step == 300) {
        // A watch opened on a full store first receives what it matches, as ADDED.
        watches.add(watch(stockClient.configMaps().inNamespace("b"), stockEvents));
        watches.add(watch(indexedClient.configMaps().inNamespace("b"), indexedEvents));
      }
      String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
      String name = NAMES[random.nextInt(NAMES.length)];
      String label = random.nextBoolean() ? "one" : "two";
      int op = random.nextInt(14);
      String what = step + ": op " + op + " " + ns + "/" + name + " " + label;
      Function<KubernetesClient, Object> request = request(op, ns, name, label);
      String expected = answer(request, stockClient);
      String actual = answer(request, indexedClient);
      log.add(what + " -> " + expected);
      assertThat(actual).as(what).isEqualTo(expected);
    }
    // Every watch saw the same events in the same order.
    for (int w = 0; w < stockEvents.size(); w++) {
      List<String> expected = stockEvents.get(w);
      List<String> actual = indexedEvents.get(w);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(actual.equals(expected) && !expected.isEmpty()) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(List.copyOf(actual)).as("watch " + w).isEqualTo(List.copyOf(expected));
      assertThat(expected).as("watch " + w).isNotEmpty();
    }
    watches.forEach(io.fabric8.kubernetes.client.Watch::close);
    assertThat(indexed.size()).isEqualTo(indexed.getMap().size());
    assertThat(indexed.getMap().size()).isEqualTo(stock.getMap().size());
    // The sequence exercised more than the empty store: something was found, changed and deleted.
    assertThat(log).anyMatch(l -> l.contains("op 1 ") && l.contains("\"kind\":\"ConfigMap\""));
    assertThat(log).anyMatch(l -> l.contains("error 409"));
    assertThat(log).anyMatch(l -> l.contains("op 8 ") && l.contains("\"deletionTimestamp\""));
  }

  @Test
  void watchersSeeEveryChangeOnce() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    var watch =
        indexedClient
            .configMaps()
            .inNamespace("a")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    seen.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      indexedClient.configMaps().inNamespace("a").resource(configMap("a", "x", "one")).create();
      indexedClient.configMaps().inNamespace("b").resource(configMap("b", "x", "one")).create();
      indexedClient
          .configMaps()
          .inNamespace("a")
          .withName("x")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"v2\"}}");
      indexedClient.configMaps().inNamespace("a").withName("x").delete();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen.size() < 3 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(seen).containsExactly("ADDED x", "MODIFIED x", "DELETED x");
    } finally {
      watch.close();
    }
  }

  private static void watchAll(
      KubernetesClient c,
      List<List<String>> events,
      List<io.fabric8.kubernetes.client.Watch> watches) {
    watches.add(watch(c.configMaps().inAnyNamespace(), events));
    watches.add(watch(c.configMaps().inNamespace("a").withLabel("app", "one"), events));
    watches.add(watch(c.pods().inAnyNamespace().withField("metadata.name", "x"), events));
    watches.add(watch(c.resources(SchemaMigration.class).inAnyNamespace(), events));
  }

  /** Starts a watch whose events (type and normalised object) go to a new list in {@code all}. */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata>
      io.fabric8.kubernetes.client.Watch watch(
          io.fabric8.kubernetes.client.dsl.Watchable<T> on, List<List<String>> all) {
    List<String> events = new CopyOnWriteArrayList<>();
    all.add(events);
    return on.watch(
        new Watcher<T>() {
          @Override
          public void eventReceived(Action action, T resource) {
            try {
              JsonNode tree = JSON.valueToTree(resource);
              normalise(tree);
              events.add(action + " " + JSON.writeValueAsString(tree));
            } catch (Exception e) {
              events.add(action + " unreadable: " + e);
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
  }

  private static Function<KubernetesClient, Object> request(
      int op, String ns, String name, String label) {
    return switch (op) {
      case 0 -> c -> c.configMaps().inNamespace(ns).resource(configMap(ns, name, label)).create();
      case 1 -> c -> c.configMaps().inNamespace(ns).withName(name).get();
      case 2 -> c -> c.configMaps().inNamespace(ns).list();
      case 3 -> c -> c.configMaps().inAnyNamespace().list();
      case 4 -> c -> c.configMaps().inAnyNamespace().withLabel("app", label).list();
      case 5 -> c -> c.configMaps().inNamespace(ns).withField("metadata.name", name).list();
      case 6 ->
          c ->
              c.configMaps()
                  .inNamespace(ns)
                  .withName(name)
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      "{\"metadata\":{\"labels\":{\"app\":\""
                          + label
                          + "\"}},\"data\":{\"k\":\""
                          + name
                          + label
                          + "\"}}");
      case 7 -> c -> c.configMaps().inNamespace(ns).withName(name).delete();
      case 8 ->
          c -> {
            // A pod held by a finalizer: a delete only marks it; an update removing the finalizer
            // then deletes it.
            if (c.pods().inNamespace(ns).withName(name).get() == null) {
              return c.pods().inNamespace(ns).resource(pod(ns, name)).create();
            }
            c.pods().inNamespace(ns).withName(name).delete();
            return c.pods().inNamespace(ns).withName(name).get();
          };
      case 9 ->
          c -> {
            Pod p = c.pods().inNamespace(ns).withName(name).get();
            if (p == null || p.getMetadata().getDeletionTimestamp() == null) {
              return p;
            }
            p.getMetadata().setFinalizers(List.of());
            return c.pods().inNamespace(ns).resource(p).update();
          };
      case 10 ->
          c ->
              c.resources(SchemaMigration.class)
                  .inNamespace(ns)
                  .resource(schemaMigration(ns, name))
                  .create();
      case 11 ->
          c -> {
            SchemaMigration sm =
                c.resources(SchemaMigration.class).inNamespace(ns).withName(name).get();
            if (sm == null) {
              return null;
            }
            SchemaMigrationStatus status = new SchemaMigrationStatus();
            status.setCurrentRevision(label);
            sm.setStatus(status);
            return c.resources(SchemaMigration.class).inNamespace(ns).resource(sm).updateStatus();
          };
      case 12 -> c -> c.resources(SchemaMigration.class).inAnyNamespace().list();
      default -> c -> c.pods().inNamespace(ns).list();
    };
  }

  /** The request's answer as normalised JSON, or its HTTP status code when it failed. */
  private static String answer(Function<KubernetesClient, Object> request, KubernetesClient c)
      throws Exception {
    Object result;
    try {
      result = request.apply(c);
    } catch (KubernetesClientException e) {
      return "error " + e.getCode();
    }
    JsonNode tree = JSON.readTree(c.getKubernetesSerialization().asJson(result));
    normalise(tree);
    return JSON.writeValueAsString(tree);
  }

  /** Drops what differs between two servers for the same request: uids and wall-clock times. */
  private static void normalise(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove("uid"); // a delete answers with the deleted objects' uids
      JsonNode metadata = o.get("metadata");
      if (metadata instanceof ObjectNode m) {
        m.remove("uid");
        m.remove("creationTimestamp");
        if (m.has("deletionTimestamp")) {
          m.put("deletionTimestamp", "set");
        }
      }
      o.elements().forEachRemaining(IndexedCrudDispatcherTest::normalise);
    } else if (node instanceof ArrayNode a) {
      a.elements().forEachRemaining(IndexedCrudDispatcherTest::normalise);
    }
  }

  private static ConfigMap configMap(String ns, String name, String label) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(Map.of("app", label))
        .endMetadata()
        .withData(Map.of("k", "v"))
        .build();
  }

  private static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withFinalizers("example.com/hold")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  private static SchemaMigration schemaMigration(String ns, String name) {
    SchemaMigration sm = new SchemaMigration();
    sm.getMetadata().setNamespace(ns);
    sm.getMetadata().setName(name);
    var spec = new io.schemagate.api.v1alpha1.SchemaMigrationSpec();
    var db = new io.schemagate.api.v1alpha1.DatabaseSpec();
    db.setUrl("jdbc:postgresql://db:5432/app");
    spec.setDatabase(db);
    sm.setSpec(spec);
    return sm;
  }
}
