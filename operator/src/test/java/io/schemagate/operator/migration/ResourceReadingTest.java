package io.schemagate.operator.migration;

import static io.schemagate.operator.migration.SchemaMigrationReconcilerTest.ready;
import static io.schemagate.operator.migration.SchemaMigrationReconcilerTest.stalled;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.testing.Await;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SchemaMigrations as an API server without the CRD's schema hands them over (the sandbox's, or a
 * newer CRD installed before the operator is upgraded): unknown fields, values of the wrong type,
 * enum values in the wrong case. None may stop the operator or keep another resource from running.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceReadingTest {
  static final String NS = SchemaMigrationReconcilerTest.NS;
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ResourceDefinitionContext SCHEMA_MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup(SchemaGateApi.GROUP)
          .withVersion(SchemaGateApi.VERSION)
          .withKind(SchemaGateApi.KIND)
          .withPlural("schemamigrations")
          .withNamespaced(true)
          .build();

  KubernetesClient client;
  Operator operator;
  ClusterStandIn cluster;

  @BeforeEach
  void secretAndExecutor() {
    SchemaMigrationReconcilerTest.createSecret(client);
    cluster =
        ClusterStandIn.start(
            client,
            new CannedPods(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3))),
            java.time.Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    cluster.close();
    if (operator != null) {
      operator.stop();
    }
  }

  void startOperator() {
    operator = SchemaGateOperator.create(client, OperatorSettings.local(), Clock.systemUTC());
    operator.start();
  }

  @Test
  void unreadableResourcesPresentAtStartStallWithInvalidSpecAndTheOthersRun() {
    createRaw(manifest("wrong-type", "  retry: {limit: three}\n"));
    createRaw(manifest("wrong-case", "  lint: enforce\n"));
    createRaw(manifest("valid", ""));
    String wrongTypeSpec = rawSpec("wrong-type");
    String wrongCaseSpec = rawSpec("wrong-case");

    startOperator();

    await("valid", ready());
    assertInvalidSpec("wrong-type", "spec.retry.limit", "must be an integer");
    assertInvalidSpec("wrong-case", "spec.lint", "must be one of Enforce, Warn, Off");
    assertThat(rawSpec("wrong-type")).isEqualTo(wrongTypeSpec);
    assertThat(rawSpec("wrong-case")).isEqualTo(wrongCaseSpec);
    assertThat(jobsOf("wrong-type")).isEmpty();
    assertThat(jobsOf("wrong-case")).isEmpty();
  }

  @Test
  void unreadableResourcesArrivingWhileRunningStallWithInvalidSpecAndTheOthersRun() {
    startOperator();

    createRaw(manifest("wrong-type", "  retry: {limit: three}\n"));
    createRaw(manifest("not-an-object", "  job: [1, 2]\n"));
    createRaw(manifest("valid", ""));

    await("valid", ready());
    assertInvalidSpec("wrong-type", "spec.retry.limit", "must be an integer");
    assertInvalidSpec("not-an-object", "spec.job", "must be an object");
    assertThat(rawSpec("not-an-object")).contains("\"job\":[1,2]");
  }

  @Test
  void unknownFieldsAreKeptAndReportedOnceInAWarningEvent() {
    createRaw(manifest("typo", "  targetRevison: \"3\"\n  retry: {limt: 2}\n"));
    startOperator();

    await("typo", ready());
    assertThat(rawSpec("typo")).contains("\"targetRevison\":\"3\"", "\"limt\":2");
    List<Event> warnings = awaitEvents("typo", "UnknownFields");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getType()).isEqualTo("Warning");
    assertThat(warnings.get(0).getMessage()).contains("spec.targetRevison", "spec.retry.limt");

    // Another reconciliation of the same generation reports nothing new.
    client
        .resources(SchemaMigration.class)
        .inNamespace(NS)
        .withName("typo")
        .edit(
            sm -> {
              sm.getMetadata().setAnnotations(Map.of("example.com/touched", "yes"));
              return sm;
            });
    await("typo", sm -> sm.getMetadata().getAnnotations() != null && ready().test(sm));
    assertThat(rawSpec("typo")).contains("\"targetRevison\":\"3\"", "\"limt\":2");
    assertThat(events("typo", "UnknownFields")).hasSize(1);
  }

  @Test
  void statusWrittenByANewerOperatorIsRead() {
    createRaw(
        manifest("newer", "")
            + """
            status:
              phase: Verifying
              observedGeneration: 1
              futureField: {nested: true}
              lastRun: {jobName: newer-0123456789, attempt: 1, result: Succeeded, reason: AtHead,
                        command: migrate, futureRunField: 7}
            """);
    startOperator();

    SchemaMigration sm = await("newer", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("3");
  }

  // --- helpers

  static String manifest(String name, String specExtra) {
    return """
        apiVersion: schemagate.io/v1alpha1
        kind: SchemaMigration
        metadata: {name: %s, namespace: %s}
        spec:
          database:
            url: jdbc:postgresql://%s-db:5432/%s
            credentialsSecret: {name: orders-db}
          bundle: {image: registry.example.com/orders-migrations:1}
        %s"""
        .formatted(name, NS, name, name, specExtra);
  }

  void createRaw(String yaml) {
    GenericKubernetesResource r =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    client.genericKubernetesResources(SCHEMA_MIGRATIONS).inNamespace(NS).resource(r).create();
  }

  /** The spec as the API server stores it, as JSON. */
  String rawSpec(String name) {
    GenericKubernetesResource r =
        client.genericKubernetesResources(SCHEMA_MIGRATIONS).inNamespace(NS).withName(name).get();
    return client.getKubernetesSerialization().asJson(r.getAdditionalProperties().get("spec"));
  }

  SchemaMigration await(String name, Predicate<SchemaMigration> done) {
    return Await.until(
        name + " status",
        WAIT,
        () -> client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get(),
        sm -> sm != null && done.test(sm));
  }

  void assertInvalidSpec(String name, String field, String problem) {
    SchemaMigration sm = await(name, stalled("InvalidSpec"));
    String message = Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage();
    assertThat(message).contains(field + ": " + problem);
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Ready").getStatus())
        .isEqualTo("False");
    awaitEvents(name, "InvalidSpec");
  }

  /** Events are sent in the background: wait for the first. */
  List<Event> awaitEvents(String name, String reason) {
    return Await.until(
        reason + " events of " + name, WAIT, () -> events(name, reason), e -> !e.isEmpty());
  }

  List<Job> jobsOf(String name) {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getName().startsWith(name + "-"))
        .toList();
  }

  List<Event> events(String name, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
