package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.kube.Conditions;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.OperatorRbac;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.operator.webhook.GateWebhook;
import io.schemagate.operator.webhook.WebhookSettings;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.controlplane.ControlPlane;
import io.schemagate.testkit.controlplane.ControlPlane.AuditEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real operator as the ServiceAccount of {@code operator/deploy/rbac.yaml}, on a real API
 * server: with those rules it is refused nothing and uses each of them; without one, it says so
 * clearly and soon.
 */
@Tag(ControlPlane.TAG)
class OperatorRbacTest {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /**
   * Requests every authenticated user may make (the system:basic-user role): the operator checks
   * what its informers need with SelfSubjectAccessReviews, JOSDK its Lease with a
   * SelfSubjectRulesReview.
   */
  private static final Set<String> ANYONE_MAY =
      Set.of(
          "create authorization.k8s.io/selfsubjectaccessreviews",
          "create authorization.k8s.io/selfsubjectrulesreviews");

  /**
   * Granted and never seen as a request here: {@code get} of a Job the informer has not seen yet (a
   * race this test does not provoke); {@code update} of the Lease (JOSDK checks for it at start,
   * fabric8 renews with a patch); {@code update} of SchemaMigration finalizers, which is no request
   * but the admission check of a Job's owner reference (without it, see {@link
   * #withoutTheRightToUpdateFinalizersTheJobsOwnerReferenceIsRefused}).
   */
  private static final Set<String> NOT_REQUESTED =
      Set.of(
          "get batch/jobs",
          "update coordination.k8s.io/leases",
          "update schemagate.io/schemamigrations/finalizers");

  private static ControlPlane cluster;
  private static KubernetesClient admin;

  private final List<Operator> operators = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @BeforeAll
  static void start() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    cluster.installCrd();
    admin = cluster.adminClient();
  }

  @AfterAll
  static void closeAdmin() {
    if (admin != null) {
      admin.close();
    }
  }

  @AfterEach
  void stopOperators() {
    cleanups.forEach(Runnable::run);
    cleanups.clear();
    for (Operator o : operators) {
      try {
        o.stop();
      } catch (RuntimeException ignored) {
        // one that failed to start is stopped already
      }
    }
    clients.forEach(KubernetesClient::close);
    // Other tests' operators watch all namespaces: leave them nothing of this one's.
    for (String ns : namespaces) {
      admin.namespaces().withName(ns).delete();
    }
    // The next test's operator acquires the Lease at once instead of waiting for it to expire.
    admin.leases().inNamespace(OperatorRbac.NAMESPACE).withName(OperatorRbac.NAME).delete();
  }

  @Test
  void underItsRbacTheOperatorRunsAMigrationIsRefusedNothingAndUsesEveryRule() {
    OperatorRbac rbac = OperatorRbac.committed();
    Path kubeconfig = rbac.install(cluster);
    assertThat(rbac.canI(cluster, "get", "secrets", "default")).as("reads no Secret").isFalse();
    String ns = namespace("rbac-allowed");
    Operator operator =
        operator(
            kubeconfig,
            new OperatorSettings(
                Set.of(),
                List.of(),
                new OperatorSettings.Lease(
                    OperatorRbac.NAMESPACE,
                    OperatorRbac.NAME,
                    Duration.ofSeconds(4),
                    Duration.ofSeconds(3),
                    Duration.ofMillis(500),
                    "rbac-test",
                    false),
                0,
                OperatorSettings.DEFAULT_RECONCILE_THREADS));
    operator.start();
    // The gate's webhook as OperatorMain starts it, with its certificate in the Secret and the
    // configuration that operator/deploy/webhook.yaml installs (here sending nothing to it).
    GateWebhook webhook = startWebhook(kubeconfig);
    createMigration(ns, "orders");
    // An application gated on it is held (a patch of the Deployment) while it migrates.
    admin
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(Fixtures.app(ns, "orders-app", "orders", Map.of()))
        .create();
    Await.until(
        "the gated Deployment to be held",
        SOON,
        () -> admin.apps().deployments().inNamespace(ns).withName("orders-app").get(),
        d -> RealMigrations.heldBy(d, "orders"));

    Job job = Await.until("the migration's Job", SOON, () -> onlyJob(ns), j -> j != null);
    String jobName = job.getMetadata().getName();
    SchemaMigration running =
        Await.until(
            "the status to name the Job",
            SOON,
            () -> migration(ns, "orders"),
            sm ->
                sm.getStatus() != null
                    && sm.getStatus().getLastRun() != null
                    && jobName.equals(sm.getStatus().getLastRun().getJobName()));
    assertThat(running.getStatus().getPhase().name()).isEqualTo("Running");
    Await.until(
        "a MigrationStarted Event",
        SOON,
        () -> events(ns, "orders"),
        hasReason("MigrationStarted"));

    // kubectl shows what the operator wrote.
    ControlPlane.Kubectl table = cluster.kubectl("get", "smig", "-n", ns);
    assertThat(table.exitCode()).as(table.stderr()).isZero();
    List<String> lines = table.stdout().lines().toList();
    assertThat(lines.get(0))
        .containsSubsequence("NAME", "READY", "REVISION", "HEAD", "DURATION", "REASON", "AGE");
    assertThat(lines.get(1).split("\\s+")).startsWith("orders", "False").contains("Migrating");

    // The Job controller made its pod; the image cannot be pulled: the operator deletes the Job.
    Pod pod = Await.until("the Job's pod", SOON, () -> podOf(ns, jobName), p -> p != null);
    admin
        .pods()
        .inNamespace(ns)
        .resource(pod)
        .editStatus(
            p -> {
              p.getStatus()
                  .setContainerStatuses(
                      List.of(
                          new ContainerStatusBuilder()
                              .withName(SchemaGateApi.RUNNER_CONTAINER)
                              .withImage(
                                  job.getSpec()
                                      .getTemplate()
                                      .getSpec()
                                      .getContainers()
                                      .get(0)
                                      .getImage())
                              .withImageID("")
                              .withReady(false)
                              .withRestartCount(0)
                              .withNewState()
                              .withNewWaiting()
                              .withReason("ErrImagePull")
                              .withMessage("pull access denied")
                              .endWaiting()
                              .endState()
                              .build()));
              return p;
            });
    Await.until(
        "the stuck Job to be deleted",
        SOON,
        () -> admin.batch().v1().jobs().inNamespace(ns).withName(jobName).get(),
        j -> j == null || j.getMetadata().getDeletionTimestamp() != null);
    SchemaMigration failed =
        Await.until(
            "the run to end ImagePullFailed",
            SOON,
            () -> migration(ns, "orders"),
            sm -> "ImagePullFailed".equals(sm.getStatus().getLastRun().getReason()));
    assertThat(failed.getStatus().getLastRun().getMessage()).contains("cannot pull its image");
    Await.until(
        "a MigrationFailed Event", SOON, () -> events(ns, "orders"), hasReason("MigrationFailed"));

    // Every rule was used (the log is polled: a request's line may follow its effect), and
    // nothing was refused.
    Set<String> granted = new TreeSet<>();
    rbac.clusterRules().forEach(r -> granted.addAll(grants(r)));
    rbac.namespaceRules().forEach(r -> granted.addAll(grants(r)));
    Await.until(
        "the audit log to show every rule used",
        SOON,
        () -> {
          Set<String> unused = new TreeSet<>(granted);
          unused.removeAll(used(cluster.audit(rbac.user())));
          return unused;
        },
        NOT_REQUESTED::containsAll);
    List<AuditEvent> requests = cluster.audit(rbac.user());
    assertThat(requests)
        .as("requests RBAC refused")
        .filteredOn(e -> e.code() == 401 || e.forbidden())
        .isEmpty();
    Set<String> allowed = new TreeSet<>(granted);
    allowed.addAll(ANYONE_MAY);
    assertThat(allowed).as("what the operator asked for").containsAll(used(requests));
    assertThat(webhook.isReady()).isTrue();
  }

  /**
   * Starts the webhook as the operator, after creating what {@code operator/deploy/webhook.yaml}
   * creates: the empty certificate Secret and the configuration, whose namespace selector here
   * matches no namespace (other tests share this control plane).
   */
  private GateWebhook startWebhook(Path kubeconfig) {
    String secret = WebhookSettings.DEFAULT_SECRET;
    admin.secrets().inNamespace(OperatorRbac.NAMESPACE).withName(secret).delete();
    Await.until(
        "the previous Secret to be gone",
        SOON,
        () -> admin.secrets().inNamespace(OperatorRbac.NAMESPACE).withName(secret).get() == null,
        gone -> gone);
    admin
        .secrets()
        .inNamespace(OperatorRbac.NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", "")
                .addToData("tls.key", "")
                .build())
        .create();
    MutatingWebhookConfiguration config =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(WebhookSettings.DEFAULT_CONFIGURATION)
            .endMetadata()
            .addNewWebhook()
            .withName("gate.schemagate.io")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("NoneOnDryRun")
            .withFailurePolicy("Ignore")
            .withNewClientConfig()
            .withUrl("https://127.0.0.1:1/mutate-deployments")
            .endClientConfig()
            .withNewNamespaceSelector()
            .addToMatchLabels(RealMigrations.TEST_LABEL, "no-such-namespace")
            .endNamespaceSelector()
            .addNewRule()
            .withApiGroups("apps")
            .withApiVersions("v1")
            .withOperations("CREATE")
            .withResources("deployments")
            .endRule()
            .endWebhook()
            .build();
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(config)
        .serverSideApply();
    cleanups.add(
        () ->
            admin
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(WebhookSettings.DEFAULT_CONFIGURATION)
                .delete());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    KubernetesClient client = OperatorRbac.client(kubeconfig, "schemagate-rbac-webhook");
    clients.add(client);
    try {
      GateWebhook webhook =
          GateWebhook.start(
              client,
              WebhookSettings.fromEnv(
                  Map.of(
                      WebhookSettings.PORT,
                      String.valueOf(port),
                      WebhookSettings.NAMESPACE,
                      OperatorRbac.NAMESPACE)),
              Set.of(),
              new GateSignals(new EventRecorder(client, Clock.systemUTC()), new GateCounters()),
              Clock.systemUTC());
      cleanups.add(webhook::close);
      return webhook;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code verb group/resource} of each request for a resource. */
  private static Set<String> used(List<AuditEvent> requests) {
    Set<String> used = new TreeSet<>();
    requests.stream()
        .filter(e -> e.resource() != null)
        .forEach(e -> used.add(e.verb() + " " + groupResource(e.apiGroup(), e.rbacResource())));
    return used;
  }

  @Test
  void withoutTheRightToCreateJobsTheStatusAndAnEventSaySoAndARestoredRuleLetsItRun() {
    String ns = namespace("rbac-no-jobs");
    OperatorRbac full = OperatorRbac.committed().renamed("schemagate-no-jobs", ns + "-system");
    OperatorRbac rbac = full.without("batch", "jobs", "create");
    Path kubeconfig = rbac.install(cluster);
    assertThat(rbac.canI(cluster, "create", "jobs", ns)).isFalse();
    assertThat(rbac.canI(cluster, "list", "jobs", ns)).isTrue();
    operator(kubeconfig, inNamespace(ns)).start();
    createMigration(ns, "orders");

    String expected =
        "Kubernetes API request POST /apis/batch/v1/namespaces/"
            + ns
            + "/jobs: HTTP 403 Forbidden: jobs.batch is forbidden: User \""
            + rbac.user()
            + "\" cannot create resource \"jobs\" in API group \"batch\" in the namespace \""
            + ns
            + "\"";
    SchemaMigration refused =
        Await.until(
            "the status to say the Job was refused",
            SOON,
            () -> migration(ns, "orders"),
            sm -> readyReason(sm).equals("KubernetesApiError"));
    var ready = Conditions.find(refused.getStatus().getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).isEqualTo(expected);
    assertThat(Conditions.isTrue(refused.getStatus().getConditions(), Conditions.RECONCILING))
        .as("retried")
        .isTrue();
    List<Event> events =
        Await.until(
            "a Warning Event", SOON, () -> events(ns, "orders"), hasReason("KubernetesApiError"));
    assertThat(events)
        .filteredOn(e -> "KubernetesApiError".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).isEqualTo(expected);
            });
    assertThat(onlyJob(ns)).isNull();

    // The rule restored, a retry creates the Job.
    full.install(cluster);
    Await.until("the Job once the rule is back", SOON, () -> onlyJob(ns), j -> j != null);
    Await.until(
        "the status to name the Job",
        SOON,
        () -> migration(ns, "orders"),
        sm -> readyReason(sm).equals("Migrating"));
  }

  @Test
  void withoutTheRightToUpdateFinalizersTheJobsOwnerReferenceIsRefused() {
    String ns = namespace("rbac-no-finalizers");
    OperatorRbac rbac =
        OperatorRbac.committed()
            .renamed("schemagate-no-finalizers", ns + "-system")
            .without("schemagate.io", "schemamigrations/finalizers", "update");
    Path kubeconfig = rbac.install(cluster);
    operator(kubeconfig, inNamespace(ns)).start();
    createMigration(ns, "orders");

    SchemaMigration refused =
        Await.until(
            "the status to say the Job was refused",
            SOON,
            () -> migration(ns, "orders"),
            sm -> readyReason(sm).equals("KubernetesApiError"));
    assertThat(Conditions.find(refused.getStatus().getConditions(), Conditions.READY).getMessage())
        .startsWith(
            "Kubernetes API request POST /apis/batch/v1/namespaces/" + ns + "/jobs: HTTP 403")
        .contains("cannot set blockOwnerDeletion", "finalizers");
    assertThat(onlyJob(ns)).isNull();
  }

  @Test
  void withoutTheRightToWatchPodsTheOperatorDoesNotStartAndSaysWhy() {
    String ns = namespace("rbac-no-pod-watch");
    OperatorRbac rbac =
        OperatorRbac.committed()
            .renamed("schemagate-no-pod-watch", ns + "-system")
            .without("", "pods", "watch");
    Path kubeconfig = rbac.install(cluster);
    Operator operator = operator(kubeconfig, inNamespace(ns));

    assertThatThrownBy(operator::start)
        .isInstanceOf(OperatorException.class)
        .hasMessage(cannotWatchPods(ns));
  }

  @Test
  void withoutTheRightToWatchPodsTheOperatorProcessExitsAndSaysWhy() throws Exception {
    String ns = namespace("rbac-no-pod-watch-main");
    OperatorRbac rbac =
        OperatorRbac.committed()
            .renamed("schemagate-no-pod-watch-main", ns + "-system")
            .without("", "pods", "watch");
    Path kubeconfig = rbac.install(cluster);
    Path output = Files.createTempFile("operator-main", ".log");
    ProcessBuilder main =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OperatorMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    main.environment().put("KUBECONFIG", kubeconfig.toString());
    main.environment().put(OperatorSettings.WATCH_NAMESPACES, ns);
    // The health server on: its thread must not keep a process that cannot start alive.
    main.environment().put(OperatorSettings.HTTP_PORT, String.valueOf(freePort()));
    Process process = main.start();
    try {
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      String log = Files.readString(output);
      assertThat(ended).as("the process ended; its output:%n%s", log).isTrue();
      assertThat(process.exitValue()).as(log).isEqualTo(1);
      assertThat(log).contains(cannotWatchPods(ns));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }

  private static String cannotWatchPods(String ns) {
    return "the operator cannot start: the API server refuses its account watch pods in namespace "
        + ns
        + "; grant it the rules of operator/deploy/rbac.yaml (docs/security.md)";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Operator operator(Path kubeconfig, OperatorSettings settings) {
    KubernetesClient client = OperatorRbac.client(kubeconfig, "schemagate-operator-test");
    clients.add(client);
    Operator o = SchemaGateOperator.create(client, settings, Clock.systemUTC());
    operators.add(o);
    return o;
  }

  /** Only {@code namespace}, so that an operator without a rule leaves other tests' resources. */
  private static OperatorSettings inNamespace(String namespace) {
    return new OperatorSettings(
        Set.of(namespace), List.of(), null, 0, OperatorSettings.DEFAULT_RECONCILE_THREADS);
  }

  private String namespace(String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    namespaces.add(name);
    namespaces.add(name + "-system");
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static void createMigration(String ns, String name) {
    RealMigrations.create(admin, ns, name);
  }

  private static SchemaMigration migration(String ns, String name) {
    return admin.resources(SchemaMigration.class).inNamespace(ns).withName(name).get();
  }

  private static String readyReason(SchemaMigration sm) {
    if (sm.getStatus() == null) {
      return "";
    }
    var ready = Conditions.find(sm.getStatus().getConditions(), Conditions.READY);
    return ready == null ? "" : ready.getReason();
  }

  private static Job onlyJob(String ns) {
    List<Job> jobs = admin.batch().v1().jobs().inNamespace(ns).list().getItems();
    assertThat(jobs).hasSizeLessThanOrEqualTo(1);
    return jobs.isEmpty() ? null : jobs.get(0);
  }

  private static Pod podOf(String ns, String jobName) {
    return admin
        .pods()
        .inNamespace(ns)
        .withLabel("batch.kubernetes.io/job-name", jobName)
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  private static List<Event> events(String ns, String name) {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static java.util.function.Predicate<List<Event>> hasReason(String reason) {
    return events -> events.stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  private static List<String> grants(PolicyRule rule) {
    List<String> out = new ArrayList<>();
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          out.add(verb + " " + groupResource(group, resource));
        }
      }
    }
    return out;
  }

  private static String groupResource(String group, String resource) {
    return group == null || group.isEmpty() ? resource : group + "/" + resource;
  }
}
