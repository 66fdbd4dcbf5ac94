package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.RunCommand;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.CannedJobExecutor;
import io.schemagate.operator.testing.CannedJobExecutor.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fabric8's CRUD mock API server, with Jobs ended by a canned executor. */
@EnableKubernetesMockClient(crud = true)
class SchemaMigrationReconcilerTest {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;
  CannedJobExecutor executor;
  final ConcurrentLinkedQueue<Job> jobs = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startOperator() {
    createSecret(client);
    operator = SchemaGateOperator.create(client, OperatorSettings.local(), Clock.systemUTC());
    operator.start();
  }

  @AfterEach
  void stop() {
    if (executor != null) {
      executor.close();
    }
    operator.stop();
  }

  void execute(Function<Job, Outcome> results) {
    executor =
        new CannedJobExecutor(
            client,
            job -> {
              jobs.add(job);
              return results.apply(job);
            });
  }

  @Test
  void firstInstallRunsOneMigrateJobAndRecordsRevisionDurationAndEvents() {
    execute(job -> Outcome.succeeded(success("3", 3)));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", ready());

    assertThat(sm.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("3");
    assertThat(sm.getStatus().getHeadRevision()).isEqualTo("3");
    assertThat(sm.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(sm.getStatus().getLastRun().getResult()).isEqualTo(RunResult.Succeeded);
    assertThat(sm.getStatus().getLastRun().getAppliedCount()).isEqualTo(3);
    assertThat(sm.getStatus().getLastRun().getDurationSeconds()).isEqualTo(0.812);
    assertThat(sm.getStatus().getLastRun().getCommand()).isEqualTo(RunCommand.MIGRATE);
    assertThat(sm.getStatus().getHistory()).hasSize(1);
    assertThat(jobs).hasSize(1);
    assertThat(reasons("orders")).contains("MigrationStarted", "MigrationSucceeded");
    assertThat(everythingWritten()).doesNotContain("s3cret-never-shown");
  }

  @Test
  void warningsOfASuccessfulRunReachStatusAndTheEvent() {
    execute(
        job ->
            Outcome.succeeded(
                success("3", 1)
                    .replace(
                        "\"warnings\":[]",
                        "\"warnings\":[\"V3__events.sql:1: timestamp-without-time-zone: use TIMESTAMPTZ\"]")));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", ready());

    assertThat(sm.getStatus().getLastRun().getMessage())
        .isEqualTo(
            "1 warning; first: V3__events.sql:1: timestamp-without-time-zone: use TIMESTAMPTZ");
    assertThat(
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "MigrationSucceeded".equals(e.getReason()))
                .map(Event::getMessage))
        .singleElement()
        .asString()
        .contains("1 warning");
  }

  @Test
  void deterministicFailureStallsAtOnceAndIsNotRetried() {
    execute(
        job ->
            Outcome.failed(
                1,
                failure(
                    "MigrationFailed",
                    "V4__broken.sql line 4: relation \\\"no_such_table\\\" does not exist")));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", stalled("MigrationFailed"));

    assertThat(sm.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("3");
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("V4__broken.sql");
    pause();
    assertThat(jobs).hasSize(1);
    assertThat(reasons("orders")).contains("MigrationFailed");
  }

  @Test
  void transientFailureIsRetriedWithBackoffThenReady() {
    AtomicInteger n = new AtomicInteger();
    execute(
        job ->
            n.incrementAndGet() == 1
                ? Outcome.failed(3, failure("DatabaseUnreachable", "connection refused"))
                : Outcome.succeeded(success("3", 3)));

    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    SchemaMigration sm = awaitStatus("orders", ready());

    assertThat(jobs).hasSize(2);
    assertThat(sm.getStatus().getLastRun().getAttempt()).isEqualTo(2);
    assertThat(sm.getStatus().getHistory())
        .extracting(h -> h.getResult() + "/" + h.getReason())
        .containsExactly("Succeeded/AtHead", "Failed/DatabaseUnreachable");
  }

  @Test
  void transientFailuresBeyondTheLimitAreRetriesExhausted() {
    execute(job -> Outcome.failed(3, failure("DatabaseUnreachable", "connection refused")));

    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setLimit(1);
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    awaitStatus("orders", stalled("RetriesExhausted"));
    pause();
    assertThat(jobs).hasSize(2);
  }

  @Test
  void newRetryAnnotationValueRunsAStalledResourceAgain() {
    AtomicInteger n = new AtomicInteger();
    execute(
        job ->
            n.incrementAndGet() == 1
                ? Outcome.failed(7, failure("ConfigurationInvalid", "bad option"))
                : Outcome.succeeded(success("3", 3)));
    create(resource("orders"));
    awaitStatus("orders", stalled("ConfigurationInvalid"));

    client
        .resources(SchemaMigration.class)
        .inNamespace(NS)
        .withName("orders")
        .edit(
            sm -> {
              sm.getMetadata().setAnnotations(Map.of(SchemaGateApi.RETRY_ANNOTATION, "1"));
              return sm;
            });
    awaitStatus("orders", ready());
    assertThat(jobs).hasSize(2);
  }

  @Test
  void invalidSpecStallsWithoutRunningAnything() {
    execute(job -> Outcome.succeeded(success("3", 3)));
    SchemaMigration r = resource("orders");
    r.getSpec().getDatabase().setUrl("jdbc:postgresql://app:hunter2@orders-db/orders");
    create(r);

    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec.database.url")
        .doesNotContain("hunter2");
    pause();
    assertThat(jobs).isEmpty();
    assertThat(everythingWritten()).doesNotContain("hunter2");
  }

  @Test
  void resourceWithoutSpecStallsInsteadOfFailingTheReconciler() {
    execute(job -> Outcome.succeeded(success("3", 3)));
    SchemaMigration r = resource("orders");
    r.setSpec(null);
    create(r);

    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec");
    assertThat(jobs).isEmpty();
  }

  @Test
  void bundleImageOutsideTheAllowListRunsNothing() {
    operator.stop();
    operator =
        SchemaGateOperator.create(
            client,
            new OperatorSettings(
                java.util.Set.of(),
                List.of("registry.example.com/approved/"),
                null,
                0,
                OperatorSettings.DEFAULT_RECONCILE_THREADS),
            Clock.systemUTC());
    operator.start();
    execute(job -> Outcome.succeeded(success("3", 3)));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec.bundle.image", "allowed prefix");
    assertThat(jobs).isEmpty();
  }

  @Test
  void suspendedResourceRunsNothing() {
    execute(job -> Outcome.succeeded(success("3", 3)));
    SchemaMigration r = resource("orders");
    r.getSpec().setSuspend(true);
    create(r);

    awaitStatus(
        "orders", s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Suspended);
    pause();
    assertThat(jobs).isEmpty();
  }

  @Test
  void secondResourceOnTheSameDatabaseIsAConflictAndRunsNothing() {
    execute(job -> Outcome.succeeded(success("3", 3)));
    create(resource("orders"));
    awaitStatus("orders", ready());

    create(resource("orders-copy"));
    SchemaMigration copy = awaitStatus("orders-copy", stalled("Conflict"));
    assertThat(Conditions.find(copy.getStatus().getConditions(), "Stalled").getMessage())
        .contains("shop/orders");
    assertThat(jobs).hasSize(1);
  }

  @Test
  void jobThatVanishedWhileRunningIsLearnedWithInfoNotRerun() {
    AtomicInteger n = new AtomicInteger();
    execute(
        job -> {
          if (n.incrementAndGet() == 1) {
            return Outcome.running();
          }
          return Outcome.succeeded(
              job.getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .get(0)
                      .getArgs()
                      .get(0)
                      .equals("info")
                  ? info("3")
                  : success("3", 0));
        });
    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    awaitStatus("orders", s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Running);
    Job first = jobs.peek();
    client.batch().v1().jobs().inNamespace(NS).withName(first.getMetadata().getName()).delete();

    awaitStatus("orders", ready());
    assertThat(jobs)
        .extracting(
            j -> j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0))
        .containsExactly("migrate", "info", "migrate");
  }

  @Test
  void deadlineExceededStallsWithItsReason() {
    execute(job -> Outcome.jobFailed("DeadlineExceeded"));
    create(resource("orders"));
    awaitStatus("orders", stalled("DeadlineExceeded"));
    pause();
    assertThat(jobs).hasSize(1);
  }

  // --- helpers

  /** The Secret every test resource names, with a password no output may ever show. */
  static void createSecret(KubernetesClient client) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("orders-db")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(Map.of("username", "app", "password", "s3cret-never-shown"))
                .build())
        .create();
  }

  static SchemaMigration resource(String name) {
    SchemaMigration sm = RunPlannerTest.resource();
    sm.getMetadata().setName(name);
    sm.getMetadata().setNamespace(NS);
    sm.getMetadata().setGeneration(null);
    sm.setStatus(null);
    return sm;
  }

  void create(SchemaMigration sm) {
    client.resources(SchemaMigration.class).inNamespace(NS).resource(sm).create();
  }

  SchemaMigration get(String name) {
    return client.resources(SchemaMigration.class).inNamespace(NS).withName(name).get();
  }

  SchemaMigration awaitStatus(String name, Predicate<SchemaMigration> done) {
    return Await.until(name + " status", WAIT, () -> get(name), sm -> sm != null && done.test(sm));
  }

  static Predicate<SchemaMigration> ready() {
    return sm ->
        sm.getStatus() != null && Conditions.isTrue(sm.getStatus().getConditions(), "Ready");
  }

  static Predicate<SchemaMigration> stalled(String reason) {
    return sm ->
        sm.getStatus() != null
            && Conditions.isTrue(sm.getStatus().getConditions(), "Stalled")
            && reason.equals(
                Conditions.find(sm.getStatus().getConditions(), "Stalled").getReason());
  }

  List<String> reasons(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  /** Everything the operator wrote that a user can read: status, events, Jobs. */
  String everythingWritten() {
    return client.resources(SchemaMigration.class).inNamespace(NS).list().getItems().toString()
        + client.v1().events().inNamespace(NS).list().getItems()
        + client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  /** Long enough for a wrongly scheduled retry (1 s backoff in these tests) to show up. */
  static void pause() {
    try {
      Thread.sleep(2500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String success(String revision, int applied) {
    return "{\"command\":\"migrate\",\"status\":\"Succeeded\",\"currentRevision\":\""
        + revision
        + "\",\"headRevision\":\""
        + revision
        + "\",\"targetRevision\":\""
        + revision
        + "\",\"stateKnown\":true,\"appliedCount\":"
        + applied
        + ",\"pendingCount\":0,\"durationMs\":812,\"applied\":[],\"pending\":[],\"future\":[],"
        + "\"warnings\":[],\"error\":null}";
  }

  static String info(String revision) {
    return success(revision, 0).replace("\"migrate\"", "\"info\"");
  }

  static String failure(String reason, String message) {
    return "{\"command\":\"migrate\",\"status\":\"Failed\",\"currentRevision\":\"3\","
        + "\"headRevision\":\"4\",\"targetRevision\":\"4\",\"stateKnown\":true,\"appliedCount\":0,"
        + "\"pendingCount\":1,"
        + "\"durationMs\":120,\"applied\":[],\"pending\":[\"4\"],\"future\":[],\"warnings\":[],"
        + "\"error\":{\"reason\":\""
        + reason
        + "\",\"message\":\""
        + message
        + "\",\"version\":\"4\",\"file\":\"V4__broken.sql\",\"line\":4,\"sqlState\":\"42P01\","
        + "\"partial\":false}}";
  }
}
