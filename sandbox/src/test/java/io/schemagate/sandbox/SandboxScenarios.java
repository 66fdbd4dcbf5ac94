package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.Phase;
import io.schemagate.api.v1alpha1.RunResult;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.HeldDeployments;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product end to end, on either API server: the real operator, an embedded PostgreSQL and the
 * runner as a child process per Job. One sandbox for each concrete class; every test uses its own
 * namespace and database.
 */
abstract class SandboxScenarios {
  static final Path RUNNER_JAR = Path.of("../migrations-image/target/schemagate-runner.jar");
  static final Path EXAMPLE = Path.of("../examples/bundle/sql");
  static final Duration WAIT = Duration.ofSeconds(60);
  static final AtomicInteger IDS = new AtomicInteger();

  @TempDir static Path bundles;
  static SandboxCluster cluster;
  static KubernetesClient client;

  /** Starts the class's sandbox, with {@code options} (e.g. a real control plane). */
  static void startWith(Consumer<SandboxCluster.Builder> options) throws Exception {
    SandboxCluster.Builder b =
        SandboxCluster.builder(RUNNER_JAR.toAbsolutePath())
            .gracePeriod(Duration.ofSeconds(5))
            .extraRunnerArgs("--connect-timeout", "2s");
    options.accept(b);
    b.bundle("example:7", EXAMPLE);
    b.bundle("example:3", bundle("first3", versions(1, 3)));
    b.bundle("broken:1", brokenBundle());
    b.bundle("slow:1", slowBundle("slow", 6));
    b.bundle("stuck:1", slowBundle("stuck", 60));
    cluster = b.start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void firstInstallReachesHeadAndRecordsTheRun() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:7", sm -> {});

    SchemaMigration sm = await(ns, "accounts", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(sm.getStatus().getHeadRevision()).isEqualTo("7");
    assertThat(sm.getStatus().getPendingMigrations()).isEmpty();
    assertThat(sm.getStatus().getLastRun().getAppliedCount()).isEqualTo(7);
    assertThat(sm.getStatus().getLastRun().getDurationSeconds()).isPositive();
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3", "4", "5", "6", "7");
    assertThat(eventReasons(ns)).contains("MigrationStarted", "MigrationSucceeded");
  }

  @Test
  void namesLongerThanALabelValueRunAndAreFollowedToTheEnd() throws Exception {
    // Kubernetes accepts names of up to 253 characters, dots included; a label value holds 63.
    String hundred = "a".repeat(100);
    String longest =
        "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(70);
    assertThat(longest).hasSize(253);
    for (String name : List.of(hundred, longest)) {
      String ns = namespace();
      apply(ns, name, "example:7", sm -> {});

      SchemaMigration sm = await(ns, name, ready());
      assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
      Job job = jobs(ns).get(0);
      assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
      assertThat(job.getMetadata().getLabels().get(SchemaGateApi.MIGRATION_LABEL))
          .hasSizeLessThanOrEqualTo(63);
      assertThat(client.pods().inNamespace(ns).list().getItems())
          .allSatisfy(p -> assertThat(p.getMetadata().getName()).hasSizeLessThanOrEqualTo(63));
      assertThat(eventReasons(ns)).contains("MigrationStarted", "MigrationSucceeded");
      assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .allSatisfy(e -> assertThat(e.getMetadata().getName()).hasSizeLessThanOrEqualTo(253));
    }
  }

  @Test
  void rollForwardToANewBundleRunsANewJobAndMovesTheRevision() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:3", sm -> {});
    assertThat(await(ns, "accounts", ready()).getStatus().getCurrentRevision()).isEqualTo("3");

    update(ns, "accounts", sm -> sm.getSpec().getBundle().setImage("example:7"));
    SchemaMigration sm = await(ns, "accounts", readyAtGeneration(2));

    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(sm.getStatus().getHistory()).hasSize(2);
    assertThat(sm.getStatus().getHistory().get(0).getAppliedCount()).isEqualTo(4);
    assertThat(jobs(ns)).hasSize(2);
  }

  @Test
  void badSqlStallsNamingVersionAndFileAndKeepsEarlierVersions() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "broken:1", sm -> sm.getSpec().getRetry().setInitialDelay("1s"));

    SchemaMigration sm = await(ns, "accounts", stalled("MigrationFailed"));
    Condition stalled = condition(sm, "Stalled");
    assertThat(stalled.getMessage()).contains("V3__broken.sql");
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(sm.getStatus().getPendingMigrations()).contains("3");
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
    assertThat(sm.getStatus().getNextRetryTime())
        .as("a deterministic failure is not retried")
        .isNull();
    assertThat(condition(sm, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(jobs(ns)).hasSize(1);
  }

  @Test
  void unreachableDatabaseIsRetriedWithBackoffThenReady() throws Exception {
    String ns = namespace();
    cluster.databases().setDown(true);
    try {
      apply(ns, "accounts", "example:7", sm -> sm.getSpec().getRetry().setInitialDelay("2s"));
      await(ns, "accounts", lastRunFailedWith("DatabaseUnreachable"));
    } finally {
      cluster.databases().setDown(false);
    }
    SchemaMigration sm = await(ns, "accounts", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(sm.getStatus().getLastRun().getAttempt()).isGreaterThan(1);
  }

  @Test
  void brokenWatchesRestartTheOperatorAndEverythingGoesOn() throws Exception {
    assumeTrue(
        cluster.controlPlane().isEmpty(),
        "the sandbox's own restart on a broken watch: only the mock API server's can be broken");
    String ns = namespace();
    apply(ns, "accounts", "example:3", sm -> {});
    await(ns, "accounts", ready());
    Object before = cluster.operator();

    cluster.breakWatches();
    // The restarted operator and the stand-ins, watching again, run a new generation.
    update(ns, "accounts", sm -> sm.getSpec().getBundle().setImage("example:7"));

    SchemaMigration sm = await(ns, "accounts", readyAtGeneration(2));
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(cluster.operator()).as("a new operator, as after a pod restart").isNotSameAs(before);
  }

  @Test
  void configurationErrorStallsAtOnceAndKeepsTheRevisionItNeverRead() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:3", sm -> {});
    await(ns, "accounts", ready());

    // The default retry policy: were it retried, a second Job would follow within seconds.
    update(
        ns,
        "accounts",
        sm -> {
          sm.getSpec().getDatabase().setUrl(sm.getSpec().getDatabase().getUrl() + "?sslmode=bogus");
          sm.getSpec().getBundle().setImage("example:7");
        });
    SchemaMigration sm = await(ns, "accounts", stalled("ConfigurationInvalid"));

    assertThat(condition(sm, "Stalled").getMessage()).contains("sslmode");
    assertThat(sm.getStatus().getNextRetryTime()).isNull();
    assertThat(sm.getStatus().getCurrentRevision())
        .as("the failed run never read the database; the revision it had stays")
        .isEqualTo("3");
    assertThat(sm.getStatus().getHeadRevision()).as("the new bundle's head").isEqualTo("7");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(jobs(ns)).as("one Job per generation, no retry").hasSize(2);
  }

  @Test
  void wrongPasswordStallsAtOnceWithoutARetry() throws Exception {
    String ns = namespace();
    // The sandbox's role "migrator" has the password "s3cret"; this Secret says otherwise.
    cluster.databases().route("jdbc:postgresql://db/" + database(ns), "migrator", "s3cret");
    secret(ns, "accounts-db", "migrator", "not-the-password");
    SchemaMigration sm = resource(ns, "accounts", "example:7");
    sm.getSpec().getRetry().setInitialDelay("1s");
    client.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();

    SchemaMigration done = await(ns, "accounts", stalled("AuthenticationFailed"));
    assertThat(done.getStatus().getNextRetryTime()).isNull();
    assertThat(condition(done, "Reconciling").getStatus())
        .as("no retry is scheduled")
        .isEqualTo("False");
    assertThat(jobs(ns)).hasSize(1);
    assertThat(everythingWritten(ns)).doesNotContain("not-the-password", "s3cret");
  }

  @Test
  void jobCreateRefusedByAQuotaShowsInStatusAndRunsOnceTheQuotaIsLifted() throws Exception {
    String ns = namespace();
    client
        .resourceQuotas()
        .inNamespace(ns)
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-jobs")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addToHard("count/jobs.batch", new Quantity("0"))
                .endSpec()
                .build())
        .create();
    apply(ns, "accounts", "example:7", sm -> {});

    SchemaMigration refused =
        await(
            ns,
            "accounts",
            s ->
                condition(s, "Ready") != null
                    && "KubernetesApiError".equals(condition(s, "Ready").getReason())
                    && eventReasons(ns).contains("KubernetesApiError"));
    Condition ready = condition(refused, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .startsWith("Kubernetes API request POST /apis/batch/v1/namespaces/" + ns + "/jobs:")
        .contains("HTTP 403 Forbidden", "exceeded quota: no-jobs")
        .doesNotContain("\n", "at io.");
    assertThat(condition(refused, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(condition(refused, "Stalled").getStatus()).isEqualTo("False");
    assertThat(jobs(ns)).isEmpty();

    client.resourceQuotas().inNamespace(ns).withName("no-jobs").delete();
    SchemaMigration sm = await(ns, "accounts", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(jobs(ns)).hasSize(1);
  }

  @Test
  void missingSecretIsSecretNotFoundThenRunsOnceTheSecretExists() throws Exception {
    String ns = namespace();
    SchemaMigration sm = resource(ns, "accounts", "example:7");
    sm.getSpec().getRetry().setInitialDelay("2s");
    sm.getSpec().getRetry().setLimit(10);
    client.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();

    await(ns, "accounts", lastRunFailedWith("SecretNotFound"));
    secret(ns, "accounts-db", "migrator", "s3cret");
    assertThat(await(ns, "accounts", ready()).getStatus().getCurrentRevision()).isEqualTo("7");
  }

  @Test
  void deadlineExceededKillsTheRunnerReleasesTheLockAndKeepsTheLastGoodRevision() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "stuck:1", sm -> sm.getSpec().setTimeout("12s"));

    SchemaMigration sm = await(ns, "accounts", stalled("DeadlineExceeded"));
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("1");
    assertThat(appliedVersions(ns)).containsExactly("1");
    try (Connection c = cluster.connect(database(ns));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("advisory locks left behind").isZero();
    }
    assertThat(cluster.kubelet().runningContainers()).isZero();
  }

  @Test
  void operatorRestartedWhileAJobRunsCreatesNoSecondJob() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "slow:1", sm -> sm.getSpec().setTimeout("5m"));
    await(ns, "accounts", running());

    cluster.stopOperator();
    cluster.startOperator();

    SchemaMigration sm = await(ns, "accounts", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(jobs(ns)).hasSize(1);
  }

  @Test
  void jobDeletedWhileTheOperatorWasDownIsLearnedWithInfo() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "slow:1", sm -> sm.getSpec().getRetry().setInitialDelay("1s"));
    await(ns, "accounts", running());

    cluster.stopOperator();
    try {
      // The Job finishes and its TTL deletes it before the operator comes back.
      Job job = jobs(ns).get(0);
      awaitJob(
          ns,
          job.getMetadata().getName(),
          j -> j.getStatus() != null && j.getStatus().getSucceeded() != null);
      client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).delete();
    } finally {
      cluster.startOperator();
    }

    SchemaMigration sm = await(ns, "accounts", ready());
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(sm.getStatus().getHistory())
        .extracting(r -> r.getCommand() + ":" + r.getResult() + ":" + r.getReason())
        .startsWith("migrate:Succeeded:AtHead", "info:Succeeded:AtHead")
        .contains("migrate:Failed:ResultMissing");
  }

  @Test
  void downgradeIsRefusedUntilAllowed() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:7", sm -> {});
    await(ns, "accounts", ready());

    update(ns, "accounts", sm -> sm.getSpec().setTargetRevision("5"));
    await(ns, "accounts", stalled("DowngradeRefused"));
    assertThat(appliedVersions(ns)).hasSize(7);

    update(ns, "accounts", sm -> sm.getSpec().setAllowDowngrade(true));
    SchemaMigration sm = await(ns, "accounts", readyAtGeneration(3));
    assertThat(sm.getStatus().getCurrentRevision()).isEqualTo("5");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void baselineAdoptsAnExistingDatabaseWithoutRerunningItsMigrations() throws Exception {
    String ns = namespace();
    secret(ns, "accounts-db", "migrator", "s3cret");
    // A database an earlier tool built: the first three migrations' objects, no history table.
    cluster.databases().route("jdbc:postgresql://db/" + database(ns), "migrator", "s3cret");
    try (Connection c = cluster.connect(database(ns));
        Statement st = c.createStatement()) {
      st.execute("SET ROLE migrator");
      for (Path file : versions(1, 3)) {
        st.execute(Files.readString(file));
      }
    }
    SchemaMigration sm = resource(ns, "accounts", "example:7");
    sm.getSpec().setBaselineRevision("3");
    client.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();

    SchemaMigration done = await(ns, "accounts", ready());
    assertThat(done.getStatus().getCurrentRevision()).isEqualTo("7");
    assertThat(done.getStatus().getHistory())
        .extracting(r -> r.getCommand() + ":" + r.getResult())
        .containsExactly("migrate:Succeeded", "baseline:Succeeded");
    assertThat(done.getStatus().getLastRun().getAppliedCount()).isEqualTo(4);
  }

  @Test
  void secondResourceOnTheSameDatabaseIsAConflict() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:7", sm -> {});
    await(ns, "accounts", ready());
    SchemaMigration copy = resource(ns, "accounts-again", "example:7");
    client.resources(SchemaMigration.class).inNamespace(ns).resource(copy).create();

    await(ns, "accounts-again", stalled("Conflict"));
    assertThat(jobs(ns)).hasSize(1);
  }

  @Test
  void suspendedResourceRunsWhenResumed() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:7", sm -> sm.getSpec().setSuspend(true));
    SchemaMigration suspended =
        await(
            ns,
            "accounts",
            s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Suspended);
    assertThat(suspended.getStatus().getLastRun()).as("no run was started").isNull();
    assertThat(jobs(ns)).isEmpty();

    update(ns, "accounts", sm -> sm.getSpec().setSuspend(false));
    assertThat(await(ns, "accounts", ready()).getStatus().getCurrentRevision()).isEqualTo("7");
  }

  @Test
  void retryAnnotationRunsAStalledResourceAgain() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "broken:1", sm -> {});
    await(ns, "accounts", stalled("MigrationFailed"));

    client
        .resources(SchemaMigration.class)
        .inNamespace(ns)
        .withName("accounts")
        .edit(
            sm -> {
              sm.getMetadata().setAnnotations(Map.of(SchemaGateApi.RETRY_ANNOTATION, "1"));
              return sm;
            });
    await(ns, "accounts", s -> jobs(ns).size() == 2 && stalled("MigrationFailed").test(s));
  }

  @Test
  void gatedDeploymentAppliedBeforeItsMigrationIsHeldThenReleasedAndAPersonsPauseStays(
      @TempDir Path dir) throws Exception {
    String ns = namespace();
    secret(ns, "accounts-db", "migrator", "s3cret");
    Path app = dir.resolve("app.yaml");
    Files.writeString(
        app,
        yaml(app(ns, "orders-api", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "7"), false))
            + yaml(app(ns, "reports", Map.of(), true)));
    Manifests manifests = new Manifests(client);
    assertThat(manifests.apply(Manifests.read(app)).rejected()).isEmpty();

    // Read at once when the settle returns: it returns only once the reconciler placed the hold.
    assertThat(Settle.await(client, WAIT)).as("settled within " + WAIT).isTrue();
    JsonNode held = finalDeployment(ns, "orders-api");
    assertThat(held.path("spec").path("paused").asBoolean()).isTrue();
    assertThat(
            held.path("metadata")
                .path("annotations")
                .path(SchemaGateApi.PAUSED_BY_ANNOTATION)
                .asText())
        .isEqualTo("accounts");
    assertThat(held.path("metadata").path("labels").path(SchemaGateApi.GATE_LABEL).asText())
        .isEqualTo("accounts");
    assertThat(
            held.path("metadata")
                .path("annotations")
                .path(SchemaGateApi.REQUIRES_REVISION_ANNOTATION)
                .asText())
        .isEqualTo("7");
    assertPausedByAPerson(finalDeployment(ns, "reports"));
    assertThat(Sandbox.finalState(client, List.of(), "table"))
        .containsPattern(ns + " +orders-api +accounts +7 +true +accounts ")
        .containsPattern(ns + " +reports +accounts +true +[0-9]+[smhd]");

    // Applied again with a new image, as kubectl apply would: the hold, which the manifest leaves
    // unset, stays; replaced, the Deployment would roll out until the operator held it again.
    Deployment newer =
        app(ns, "orders-api", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "7"), false);
    newer
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setImage("registry.example.com/orders-api:2");
    Path again = dir.resolve("again.yaml");
    Files.writeString(again, yaml(newer));
    Manifests.Outcome reapplied = manifests.apply(Manifests.read(again));
    assertThat(reapplied.rejected()).isEmpty();
    Deployment stored = (Deployment) reapplied.applied().get(0);
    assertThat(stored.getSpec().getPaused()).as("still paused as stored").isTrue();
    assertThat(pausedBy(stored)).isEqualTo("accounts");
    assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endsWith(":2");

    apply(ns, "accounts", "example:7", sm -> {});
    // Again at once: the migration is Ready some time before the reconciler releases the hold.
    assertThat(Settle.await(client, WAIT)).as("settled within " + WAIT).isTrue();
    JsonNode released = finalDeployment(ns, "orders-api");
    assertThat(released.path("spec").path("paused").asBoolean()).isFalse();
    assertThat(
            released.path("metadata").path("annotations").has(SchemaGateApi.PAUSED_BY_ANNOTATION))
        .isFalse();
    assertPausedByAPerson(finalDeployment(ns, "reports"));
    JsonNode sm = finalMigration(ns, "accounts");
    assertThat(sm.path("status").path("currentRevision").asText()).isEqualTo("7");
    assertThat(sm.path("status").path("gatedDeployments")).isEmpty();
    assertThat(Sandbox.finalState(client, List.of(), "table"))
        .containsPattern(ns + " +orders-api +accounts +7 +false +[0-9]+[smhd]");
    // Held before its SchemaMigration existed: the Warning says what is missing.
    awaitTrue(
        () -> eventReasons(ns).containsAll(List.of("MigrationNotFound", "DeploymentReleased")));
  }

  @Test
  void theSettleWaitsForTheHoldAndTheReleaseTheOperatorOwes() throws Exception {
    String ns = namespace();
    apply(ns, "accounts", "example:3", sm -> {});
    await(ns, "accounts", ready());

    // Made while the operator is down, the hold is owed until it is back.
    cluster.stopOperator();
    try {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .resource(app(ns, "web", Map.of(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "4"), false))
          .create();
      assertThat(Settle.await(client, Duration.ofSeconds(3)))
          .as("a Deployment whose gate is shut runs")
          .isFalse();
    } finally {
      cluster.startOperator();
    }
    assertThat(Settle.await(client, WAIT)).as("settled within " + WAIT).isTrue();
    assertThat(pausedBy(deployment(ns, "web"))).isEqualTo("accounts");
    assertThat(await(ns, "accounts", ready()).getStatus().getGatedDeployments())
        .containsExactly("web");

    cluster.stopOperator();
    try {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName("web")
          .edit(
              d -> {
                d.getMetadata()
                    .getAnnotations()
                    .put(SchemaGateApi.REQUIRES_REVISION_ANNOTATION, "3");
                return d;
              });
      assertThat(Settle.await(client, Duration.ofSeconds(3)))
          .as("a Deployment held by schemagate whose gate is open")
          .isFalse();
    } finally {
      cluster.startOperator();
    }
    assertThat(Settle.await(client, WAIT)).as("settled within " + WAIT).isTrue();
    Deployment web = deployment(ns, "web");
    assertThat(web.getSpec().getPaused()).isNotEqualTo(Boolean.TRUE);
    assertThat(pausedBy(web)).isNull();
    assertThat(await(ns, "accounts", ready()).getStatus().getGatedDeployments()).isEmpty();
  }

  // --- helpers

  /** A new namespace, created as a user would create it (a real API server requires it). */
  static String namespace() {
    String ns = "e2e-" + IDS.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  static String database(String ns) {
    return "db_" + ns.replace('-', '_');
  }

  /** A resource on the namespace's own database, through the Secret accounts-db. */
  static SchemaMigration resource(String ns, String name, String image) {
    return Fixtures.migration(
        ns,
        name,
        sm -> {
          sm.getSpec().getDatabase().setUrl("jdbc:postgresql://accounts-db:5432/" + database(ns));
          sm.getSpec().getDatabase().getCredentialsSecret().setName("accounts-db");
          sm.getSpec().getBundle().setImage(image);
        });
  }

  static void apply(String ns, String name, String image, Consumer<SchemaMigration> edit) {
    secret(ns, "accounts-db", "migrator", "s3cret");
    SchemaMigration sm = resource(ns, name, image);
    edit.accept(sm);
    client.resources(SchemaMigration.class).inNamespace(ns).resource(sm).create();
  }

  static void update(String ns, String name, Consumer<SchemaMigration> edit) {
    client
        .resources(SchemaMigration.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            sm -> {
              edit.accept(sm);
              return sm;
            });
  }

  static void secret(String ns, String name, String user, String password) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(Fixtures.credentials(ns, name, user, password))
        .createOr(r -> r.update());
  }

  static SchemaMigration await(String ns, String name, Predicate<SchemaMigration> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    SchemaMigration last = null;
    while (System.nanoTime() < deadline) {
      last = client.resources(SchemaMigration.class).inNamespace(ns).withName(name).get();
      if (last != null && done.test(last)) {
        return last;
      }
      sleep(100);
    }
    throw new AssertionError(
        "timed out waiting for "
            + ns
            + "/"
            + name
            + "; last status: "
            + (last == null ? null : client.getKubernetesSerialization().asJson(last.getStatus()))
            + "; jobs: "
            + client.getKubernetesSerialization().asJson(jobs(ns)));
  }

  static Job awaitJob(String ns, String name, Predicate<Job> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Job j = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
      if (j != null && done.test(j)) {
        return j;
      }
      sleep(100);
    }
    throw new AssertionError("timed out waiting for Job " + ns + "/" + name);
  }

  static Predicate<SchemaMigration> ready() {
    return sm -> Settle.ready(sm);
  }

  static Predicate<SchemaMigration> readyAtGeneration(long generation) {
    return sm -> Settle.ready(sm) && sm.getStatus().getObservedGeneration() == generation;
  }

  static Predicate<SchemaMigration> running() {
    return sm ->
        sm.getStatus() != null
            && sm.getStatus().getLastRun() != null
            && sm.getStatus().getLastRun().getResult() == RunResult.Running;
  }

  /** The latest run ended with {@code reason} (a retry may follow). */
  static Predicate<SchemaMigration> lastRunFailedWith(String reason) {
    return s ->
        s.getStatus() != null
            && s.getStatus().getLastRun() != null
            && reason.equals(s.getStatus().getLastRun().getReason());
  }

  static Predicate<SchemaMigration> stalled(String reason) {
    return sm -> {
      Condition c = condition(sm, "Stalled");
      return Settle.settled(sm)
          && c != null
          && "True".equals(c.getStatus())
          && reason.equals(c.getReason());
    };
  }

  static Condition condition(SchemaMigration sm, String type) {
    return Settle.condition(sm, type);
  }

  static List<Job> jobs(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  static List<String> eventReasons(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }

  static String everythingWritten(String ns) {
    return client.resources(SchemaMigration.class).inNamespace(ns).list().getItems().toString()
        + client.v1().events().inNamespace(ns).list().getItems()
        + jobs(ns);
  }

  static List<String> appliedVersions(String ns) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = cluster.connect(database(ns));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  /** The example bundle's V and U files of versions {@code from..to}. */
  static List<Path> versions(int from, int to) throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLE)) {
      return files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                if (!n.startsWith("V")) {
                  return false;
                }
                int v = Integer.parseInt(n.substring(1, n.indexOf("__")));
                return v >= from && v <= to;
              })
          .sorted((a, b) -> Integer.compare(version(a), version(b)))
          .toList();
    }
  }

  static int version(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(1, n.indexOf("__")));
  }

  static Path bundle(String name, List<Path> vFiles) throws IOException {
    Path dir = Files.createDirectories(bundles.resolve(name));
    for (Path v : vFiles) {
      Files.copy(v, dir.resolve(v.getFileName()));
      Path u = v.resolveSibling("U" + v.getFileName().toString().substring(1));
      if (Files.exists(u)) {
        Files.copy(u, dir.resolve(u.getFileName()));
      }
    }
    return dir;
  }

  static Path brokenBundle() throws IOException {
    Path dir = Files.createDirectories(bundles.resolve("broken"));
    Files.writeString(dir.resolve("V1__create_a.sql"), "CREATE TABLE a (id BIGINT PRIMARY KEY);\n");
    Files.writeString(dir.resolve("U1__create_a.sql"), "DROP TABLE a;\n");
    Files.writeString(dir.resolve("V2__create_b.sql"), "CREATE TABLE b (id BIGINT PRIMARY KEY);\n");
    Files.writeString(dir.resolve("U2__create_b.sql"), "DROP TABLE b;\n");
    Files.writeString(
        dir.resolve("V3__broken.sql"),
        "CREATE TABLE c (id BIGINT PRIMARY KEY);\nINSERT INTO c SELECT id FROM no_such_table;\n");
    Files.writeString(dir.resolve("U3__broken.sql"), "DROP TABLE c;\n");
    return dir;
  }

  /** V2 sleeps: long enough to restart the operator meanwhile, or to pass a deadline. */
  static Path slowBundle(String name, int seconds) throws IOException {
    Path dir = Files.createDirectories(bundles.resolve(name));
    Files.writeString(dir.resolve("V1__create_a.sql"), "CREATE TABLE a (id BIGINT PRIMARY KEY);\n");
    Files.writeString(dir.resolve("U1__create_a.sql"), "DROP TABLE a;\n");
    Files.writeString(
        dir.resolve("V2__slow.sql"),
        "CREATE TABLE slow (id BIGINT PRIMARY KEY);\nSELECT pg_sleep(" + seconds + ");\n");
    Files.writeString(dir.resolve("U2__slow.sql"), "DROP TABLE slow;\n");
    return dir;
  }

  /**
   * An application gated on the SchemaMigration "accounts", with {@code annotations}; {@code
   * pausedByAPerson}: created paused, as someone pausing a rollout would.
   */
  static Deployment app(
      String ns, String name, Map<String, String> annotations, boolean pausedByAPerson) {
    Deployment d = Fixtures.app(ns, name, "accounts", annotations);
    d.getSpec().setPaused(pausedByAPerson ? true : null);
    return d;
  }

  /** One YAML document, as a manifest file holds it. */
  static String yaml(Deployment d) {
    String text = client.getKubernetesSerialization().asYaml(d);
    return text.startsWith("---") ? text : "---\n" + text;
  }

  static Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  static String pausedBy(Deployment d) {
    return HeldDeployments.pausedBy(d);
  }

  /** The sandbox's final state as {@code --output json} prints it. */
  static JsonNode finalState() throws IOException {
    List<SchemaMigration> all =
        client.resources(SchemaMigration.class).inAnyNamespace().list().getItems();
    return new ObjectMapper().readTree(Sandbox.finalState(client, all, "json"));
  }

  static JsonNode finalDeployment(String ns, String name) throws IOException {
    return item(finalState().path("deployments"), ns, name);
  }

  static JsonNode finalMigration(String ns, String name) throws IOException {
    return item(finalState().path("schemaMigrations"), ns, name);
  }

  private static JsonNode item(JsonNode items, String ns, String name) {
    for (JsonNode item : items) {
      if (item.path("metadata").path("namespace").asText().equals(ns)
          && item.path("metadata").path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError(ns + "/" + name + " is not in the final state: " + items);
  }

  static void assertPausedByAPerson(JsonNode d) {
    assertThat(d.path("spec").path("paused").asBoolean()).as("paused").isTrue();
    assertThat(d.path("metadata").path("annotations").has(SchemaGateApi.PAUSED_BY_ANNOTATION))
        .as("schemagate's annotation")
        .isFalse();
  }

  static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, WAIT);
  }

  static void awaitTrue(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited " + timeout).isLessThan(deadline);
      sleep(100);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
