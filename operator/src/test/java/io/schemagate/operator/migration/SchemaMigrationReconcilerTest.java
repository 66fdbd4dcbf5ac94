package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
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
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.CannedPods;
import io.schemagate.testkit.cluster.CannedPods.Outcome;
import io.schemagate.testkit.cluster.ClusterStandIn;
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

/**
 * The reconciler against fabric8's CRUD mock API server, with the Job controller and kubelet
 * stand-ins ending each Job's pod the way a canned runner result says.
 */
@EnableKubernetesMockClient(crud = true)
class SchemaMigrationReconcilerTest {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;
  ClusterStandIn cluster;

  /** The pods the kubelet stand-in ran, one per Job, in order. */
  final ConcurrentLinkedQueue<Pod> runs = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startOperator() {
    createSecret(client);
    operator = SchemaGateOperator.create(client, OperatorSettings.local(), Clock.systemUTC());
    operator.start();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    operator.stop();
  }

  void execute(Function<Pod, Outcome> results) {
    cluster =
        ClusterStandIn.start(
            client,
            new CannedPods(
                pod -> {
                  runs.add(pod);
                  return results.apply(pod);
                }),
            Duration.ofSeconds(1));
  }

  @Test
  void firstInstallRunsOneMigrateJobAndRecordsRevisionDurationAndEvents() {
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));

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
    assertThat(runs).hasSize(1);
    assertThat(reasons("orders")).contains("MigrationStarted", "MigrationSucceeded");
    assertThat(everythingWritten()).doesNotContain("s3cret-never-shown");
  }

  @Test
  void warningsOfASuccessfulRunReachStatusAndTheEvent() {
    execute(
        pod ->
            Outcome.succeeded(
                Fixtures.result()
                    .at("3")
                    .head("3")
                    .applied(1)
                    .warning("V3__events.sql:1: timestamp-without-time-zone: use TIMESTAMPTZ")
                    .json()));

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
        pod ->
            Outcome.failed(
                1,
                Fixtures.failed(
                    "MigrationFailed",
                    "V4__broken.sql line 4: relation \\\"no_such_table\\\" does not exist")));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", stalled("MigrationFailed"));

    assertThat(sm.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("3");
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("V4__broken.sql");
    assertNoRetryScheduled(sm);
    assertThat(runs).hasSize(1);
    assertThat(reasons("orders")).contains("MigrationFailed");
  }

  @Test
  void transientFailureIsRetriedWithBackoffThenReady() {
    AtomicInteger n = new AtomicInteger();
    execute(
        pod ->
            n.incrementAndGet() == 1
                ? Outcome.failed(3, Fixtures.failed("DatabaseUnreachable", "connection refused"))
                : Outcome.succeeded(Fixtures.succeeded("3", 3)));

    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    SchemaMigration sm = awaitStatus("orders", ready());

    assertThat(runs).hasSize(2);
    assertThat(sm.getStatus().getLastRun().getAttempt()).isEqualTo(2);
    assertThat(sm.getStatus().getHistory())
        .extracting(h -> h.getResult() + "/" + h.getReason())
        .containsExactly("Succeeded/AtHead", "Failed/DatabaseUnreachable");
  }

  @Test
  void transientFailuresBeyondTheLimitAreRetriesExhausted() {
    execute(pod -> Outcome.failed(3, Fixtures.failed("DatabaseUnreachable", "connection refused")));

    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setLimit(1);
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    assertNoRetryScheduled(awaitStatus("orders", stalled("RetriesExhausted")));
    assertThat(runs).hasSize(2);
  }

  @Test
  void newRetryAnnotationValueRunsAStalledResourceAgain() {
    AtomicInteger n = new AtomicInteger();
    execute(
        pod ->
            n.incrementAndGet() == 1
                ? Outcome.failed(7, Fixtures.failed("ConfigurationInvalid", "bad option"))
                : Outcome.succeeded(Fixtures.succeeded("3", 3)));
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
    assertThat(runs).hasSize(2);
  }

  @Test
  void invalidSpecStallsWithoutRunningAnything() {
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));
    SchemaMigration r = resource("orders");
    r.getSpec().getDatabase().setUrl("jdbc:postgresql://app:hunter2@orders-db/orders");
    create(r);

    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec.database.url")
        .doesNotContain("hunter2");
    assertNoRetryScheduled(sm);
    assertThat(runs).isEmpty();
    assertThat(everythingWritten()).doesNotContain("hunter2");
  }

  @Test
  void resourceWithoutSpecStallsInsteadOfFailingTheReconciler() {
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));
    SchemaMigration r = resource("orders");
    r.setSpec(null);
    create(r);

    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec");
    assertThat(runs).isEmpty();
  }

  @Test
  void bundleImageOutsideTheAllowListRunsNothing() {
    restartAllowing("registry.example.com/approved/");
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));

    create(resource("orders"));
    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec.bundle.image", "allowed prefix");
    assertThat(runs).isEmpty();
  }

  @Test
  void aSidecarImageOutsideTheAllowListRunsNothingEither() {
    restartAllowing("registry.example.com/");
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));

    SchemaMigration r = resource("orders"); // its bundle image is under registry.example.com/
    r.getSpec()
        .getJob()
        .getSidecars()
        .add(
            new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("proxy")
                .withImage("docker.io/somebody/proxy:1")
                .withRestartPolicy("Always")
                .build());
    create(r);
    SchemaMigration sm = awaitStatus("orders", stalled("InvalidSpec"));
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Stalled").getMessage())
        .contains("spec.job.sidecars[0].image: image is not under an allowed prefix")
        .doesNotContain("spec.bundle.image");
    assertThat(runs).isEmpty();
  }

  @Test
  void suspendedResourceRunsNothing() {
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));
    SchemaMigration r = resource("orders");
    r.getSpec().setSuspend(true);
    create(r);

    SchemaMigration sm =
        awaitStatus(
            "orders", s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Suspended);
    assertThat(sm.getStatus().getLastRun()).isNull();
    assertThat(runs).isEmpty();
  }

  @Test
  void secondResourceOnTheSameDatabaseIsAConflictAndRunsNothing() {
    execute(pod -> Outcome.succeeded(Fixtures.succeeded("3", 3)));
    create(resource("orders"));
    awaitStatus("orders", ready());

    create(resource("orders-copy"));
    SchemaMigration copy = awaitStatus("orders-copy", stalled("Conflict"));
    assertThat(Conditions.find(copy.getStatus().getConditions(), "Stalled").getMessage())
        .contains("shop/orders");
    assertThat(runs).hasSize(1);
  }

  @Test
  void jobThatVanishedWhileRunningIsLearnedWithInfoNotRerun() {
    AtomicInteger n = new AtomicInteger();
    execute(
        pod -> {
          if (n.incrementAndGet() == 1) {
            return Outcome.running();
          }
          return Outcome.succeeded(
              command(pod).equals("info") ? Fixtures.info("3") : Fixtures.succeeded("3", 0));
        });
    SchemaMigration r = resource("orders");
    r.getSpec().getRetry().setInitialDelay("1s");
    create(r);
    awaitStatus("orders", s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Running);
    Pod running = Await.until("the first pod to run", WAIT, runs::peek, p -> p != null);
    String first = running.getMetadata().getLabels().get("batch.kubernetes.io/job-name");
    client.batch().v1().jobs().inNamespace(NS).withName(first).delete();

    awaitStatus("orders", ready());
    assertThat(runs)
        .extracting(SchemaMigrationReconcilerTest::command)
        .containsExactly("migrate", "info", "migrate");
  }

  @Test
  void deadlineExceededStallsWithItsReason() {
    execute(pod -> Outcome.running());
    SchemaMigration r = resource("orders");
    r.getSpec().setTimeout("10s"); // the shortest the API allows
    r.getSpec().getDatabase().setLockTimeout("1s");
    create(r);
    SchemaMigration sm = awaitStatus("orders", stalled("DeadlineExceeded"));
    assertNoRetryScheduled(sm);
    assertThat(runs).hasSize(1);
  }

  // --- helpers

  /** The operator again, installed with an image allow-list of {@code prefix}. */
  void restartAllowing(String prefix) {
    operator.stop();
    operator =
        SchemaGateOperator.create(
            client,
            new OperatorSettings(
                java.util.Set.of(),
                List.of(prefix),
                null,
                0,
                OperatorSettings.DEFAULT_RECONCILE_THREADS),
            Clock.systemUTC());
    operator.start();
  }

  /** The Secret every test resource names, with a password no output may ever show. */
  static void createSecret(KubernetesClient client) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(Fixtures.credentials(NS, "orders-db", "app", "s3cret-never-shown"))
        .create();
  }

  /** A resource on the database and Secret of "orders", whatever its name. */
  static SchemaMigration resource(String name) {
    SchemaMigration sm = Fixtures.migration(NS, "orders");
    sm.getMetadata().setName(name);
    return sm;
  }

  /** The runner command a pod runs. */
  static String command(Pod pod) {
    return pod.getSpec().getContainers().get(0).getArgs().get(0);
  }

  /**
   * The stall is final: no retry time in status and nothing reconciling, so no Job follows unless
   * the user changes something.
   */
  static void assertNoRetryScheduled(SchemaMigration sm) {
    assertThat(sm.getStatus().getNextRetryTime()).isNull();
    assertThat(Conditions.find(sm.getStatus().getConditions(), "Reconciling").getStatus())
        .isEqualTo("False");
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
}
