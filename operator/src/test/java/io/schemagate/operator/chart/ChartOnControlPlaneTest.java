package io.schemagate.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.chart.SchemagateChart.Rendered;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.gate.ReleaseHolds;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.testing.Await;
import io.schemagate.operator.testing.OperatorRbac;
import io.schemagate.operator.testing.RealMigrations;
import io.schemagate.operator.webhook.GateWebhook;
import io.schemagate.operator.webhook.WebhookSettings;
import io.schemagate.testkit.Fixtures;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.cluster.PodRunner;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install}, {@code upgrade} and {@code uninstall} of the chart on a real API server,
 * its namespace enforcing the {@code restricted} Pod Security profile: every object accepted, the
 * operator's pods admitted, its account allowed what it needs where it needs it; the real operator
 * and its webhook, run in this JVM as that account with the installed Deployment's environment, run
 * a migration and issue the webhook's certificate refused nothing; an upgrade keeps that
 * certificate; uninstall leaves only the CRD. The chart's pods never run here (no image, no
 * scheduler): what is tested is admission, the objects and the rights they grant.
 */
@Tag(ControlPlane.TAG)
class ChartOnControlPlaneTest {
  /** Not "schemagate": other tests apply operator/deploy/ with those cluster-wide names. */
  private static final String RELEASE = "chart-test";

  private static final String NAMESPACE = "chart-test-system";
  private static final String WATCHED = "chart-test-shop";
  private static final String ACCOUNT =
      "system:serviceaccount:" + NAMESPACE + ":chart-test-schemagate-operator";

  /**
   * One watched namespace: the webhook, which fails closed and has no pod to answer here, then sees
   * no other test's Deployments.
   */
  private static final Map<String, Object> VALUES =
      Map.of(
          "watchNamespaces",
          List.of(WATCHED),
          "networkPolicy",
          Map.of("enabled", true),
          "uninstall",
          Map.of("timeoutSeconds", 30));

  /** The uninstall hook's account. */
  private static final String HOOK = "chart-test-schemagate-uninstall";

  private static final String HOOK_ACCOUNT = "system:serviceaccount:" + NAMESPACE + ":" + HOOK;

  private static ControlPlane cluster;
  private static KubernetesClient admin;

  @BeforeAll
  static void start() {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    cluster = ControlPlane.shared();
    admin = cluster.adminClient();
    for (String ns : List.of(NAMESPACE, WATCHED)) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
  }

  @AfterAll
  static void cleanUp() {
    if (admin == null) {
      return;
    }
    try {
      // After a failure only: no kubelet here would run the hook.
      helm()
          .uninstall(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfig(cluster.kubeconfig())
          .ignoreNotFound()
          .noHooks()
          .call();
    } finally {
      for (String ns : List.of(NAMESPACE, WATCHED)) {
        admin.namespaces().withName(ns).delete();
      }
      admin.close();
    }
  }

  @Test
  void installUpgradeAndUninstallOnARestrictedNamespace() throws Exception {
    // Two gated applications before the chart (and its webhook, which no pod answers here): the
    // operator will hold one; a person paused the other.
    admin.apps().deployments().inNamespace(WATCHED).resource(app("orders-api", false)).create();
    admin.apps().deployments().inNamespace(WATCHED).resource(app("reports", true)).create();
    Path values = SchemagateChart.valuesFile(VALUES);
    Release installed =
        helm()
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeConfig(cluster.kubeconfig())
            .withValuesFile(values)
            .call();
    assertThat(installed.getStatus()).isEqualTo("deployed");

    // Every object the chart renders is there, as rendered for this release.
    Rendered rendered = render(VALUES);
    for (HasMetadata o : rendered.objects) {
      assertThat(admin.resource(o).get())
          .as(o.getKind() + " " + o.getMetadata().getName())
          .isNotNull();
    }
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("schemamigrations.schemagate.io")
                .get())
        .as("the CRD, from crds/ (or there already)")
        .isNotNull();

    // Pod Security admission enforces restricted here, and admits the operator's pods.
    assertThat(
            refusedByPodSecurity(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("plain")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("x")
                    .endContainer()
                    .endSpec()
                    .build()))
        .as("a pod without a security context is refused in " + NAMESPACE)
        .contains("violates PodSecurity \"restricted");
    Await.until(
        "the two operator pods created (admitted by Pod Security)",
        Duration.ofSeconds(30),
        () ->
            admin
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/instance", RELEASE)
                .list()
                .getItems()
                .size(),
        n -> n == 2);

    // The operator's account may do its work in the watched namespace, and nothing elsewhere.
    assertThat(canI("create", "jobs", WATCHED)).isTrue();
    assertThat(canI("patch", "deployments", WATCHED)).isTrue();
    assertThat(canI("update", "schemamigrations.schemagate.io", WATCHED, "--subresource=status"))
        .isTrue();
    assertThat(canI("update", "schemamigrations.schemagate.io", WATCHED))
        .as("not the spec")
        .isFalse();
    assertThat(canI("create", "jobs", "default")).isFalse();
    assertThat(canI("list", "pods", "")).as("no cluster-wide rule").isFalse();
    assertThat(canI("get", "secrets", WATCHED)).isFalse();
    assertThat(canI("get", "secrets/chart-test-schemagate-operator-webhook-tls", NAMESPACE))
        .isTrue();
    assertThat(canI("get", "secrets/other", NAMESPACE)).isFalse();
    assertThat(canI("update", "leases/chart-test-schemagate-operator", NAMESPACE)).isTrue();
    assertThat(canI("update", "mutatingwebhookconfigurations/chart-test-schemagate-gate", ""))
        .isTrue();

    // The chart's roles for people, which Kubernetes' ClusterRole aggregation adds to its own
    // admin, edit and view roles: bound as a namespace's editor and viewer usually are, editors
    // manage SchemaMigrations, viewers read them, and neither writes status.
    for (String role : List.of("admin", "edit", "view")) {
      Await.until(
          "the chart's rules aggregated into ClusterRole " + role,
          Duration.ofSeconds(30),
          () -> admin.rbac().clusterRoles().withName(role).get().getRules(),
          rules -> rules.stream().anyMatch(r -> r.getResources().contains("schemamigrations")));
    }
    bindUser("jane", "edit");
    bindUser("joe", "view");
    assertThat(canUser("jane", "create", "schemamigrations.schemagate.io")).isTrue();
    assertThat(canUser("jane", "deletecollection", "schemamigrations.schemagate.io")).isTrue();
    assertThat(canUser("jane", "update", "schemamigrations.schemagate.io", "--subresource=status"))
        .isFalse();
    assertThat(canUser("joe", "list", "schemamigrations.schemagate.io")).isTrue();
    assertThat(canUser("joe", "get", "schemamigrations.schemagate.io", "--subresource=status"))
        .isTrue();
    assertThat(canUser("joe", "patch", "schemamigrations.schemagate.io")).isFalse();

    // The operator, as the chart's account and configured by the chart's environment, runs a
    // migration in the watched namespace and its webhook issues its certificate into the chart's
    // Secret and its CA into the chart's webhook configuration, refused nothing.
    String secretName = "chart-test-schemagate-operator-webhook-tls";
    runTheOperatorAsTheChartConfiguresIt();
    Map<String, String> certificate =
        admin.secrets().inNamespace(NAMESPACE).withName(secretName).get().getData();
    assertThat(certificate).containsKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(
            admin
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("chart-test-schemagate-gate")
                .get()
                .getWebhooks()
                .get(0)
                .getClientConfig()
                .getCaBundle())
        .isEqualTo(certificate.get("ca.crt"));
    assertThat(cluster.audit(ACCOUNT))
        .as("requests of the chart's account")
        .isNotEmpty()
        .filteredOn(e -> e.code() == 401 || e.forbidden())
        .as("requests RBAC refused")
        .isEmpty();

    // An upgrade keeps the certificate the operator wrote.
    Map<String, Object> debug = new java.util.HashMap<>(VALUES);
    debug.put("log", Map.of("level", "debug"));
    Path upgradeValues = SchemagateChart.valuesFile(debug);
    Release upgraded =
        helm()
            .upgrade()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeConfig(cluster.kubeconfig())
            .withValuesFile(upgradeValues)
            .call();
    assertThat(upgraded.getStatus()).isEqualTo("deployed");
    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(admin.secrets().inNamespace(NAMESPACE).withName(secretName).get().getData())
        .isEqualTo(certificate);
    Deployment d =
        admin
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName("chart-test-schemagate-operator")
            .get();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e ->
                assertThat(e.getName() + "=" + e.getValue())
                    .isEqualTo("SCHEMAGATE_LOG_LEVEL=debug"));

    // Uninstall: Helm runs the pre-delete hook's Job, whose pod a kubelet stand-in (this test's
    // node for the release namespace) runs as the chart's hook account with the pod's arguments
    // and environment; Kubernetes' Job controller completes the Job, then Helm deletes the rest.
    assertThat(RealMigrations.heldBy(deployment("orders-api"), "orders")).isTrue();
    Map<String, Boolean> hookRights = new HashMap<>();
    try (ClusterStandIn node =
        ClusterStandIn.node(
            admin,
            "chart-test-node",
            hookRunner(hookRights),
            Duration.ofSeconds(5),
            Set.of(NAMESPACE))) {
      helm()
          .uninstall(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfig(cluster.kubeconfig())
          .call();
    }
    Deployment released = deployment("orders-api");
    assertThat(released.getSpec().getPaused())
        .as("the operator's hold released (false is stored as absent)")
        .isNotEqualTo(Boolean.TRUE);
    assertThat(released.getMetadata().getAnnotations())
        .doesNotContainKey(SchemaGateApi.PAUSED_BY_ANNOTATION);
    assertThat(
            admin.v1().events().inNamespace(WATCHED).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals("orders-api"))
                .map(e -> e.getReason() + ": " + e.getMessage()))
        .contains(GateSignals.RELEASED + ": " + ReleaseHolds.WHY);
    assertThat(deployment("reports").getSpec().getPaused())
        .as("a person's pause stays theirs")
        .isTrue();
    assertThat(hookRights)
        .as("what the hook's account may do while it runs")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "delete mutatingwebhookconfigurations/chart-test-schemagate-gate",
                true,
                "delete mutatingwebhookconfigurations/other",
                false,
                "patch deployments/chart-test-schemagate-operator in " + NAMESPACE,
                true,
                "patch deployments in " + NAMESPACE,
                false,
                "patch deployments in " + WATCHED,
                true,
                "patch deployments in default",
                false,
                "get deployments in " + WATCHED,
                false,
                "delete deployments in " + WATCHED,
                false,
                "get secrets in " + NAMESPACE,
                false,
                "update schemamigrations.schemagate.io in " + WATCHED,
                false));
    assertThat(cluster.audit(HOOK_ACCOUNT))
        .as("requests of the hook's account")
        .isNotEmpty()
        .filteredOn(e -> e.code() == 401 || e.forbidden())
        .as("requests RBAC refused")
        .isEmpty();
    for (String kind : List.of("serviceaccounts", "jobs.batch", "clusterroles", "roles")) {
      ControlPlane.Kubectl hooks =
          cluster.kubectl(
              "get", kind, "-A", "-l", "app.kubernetes.io/name=schemagate-uninstall", "-o", "name");
      assertThat(hooks.stdout().trim())
          .as("the hook's " + kind + " deleted once it succeeded")
          .isEmpty();
    }
    List<String> left = new ArrayList<>();
    for (HasMetadata o : rendered.objects) {
      HasMetadata still = admin.resource(o).get();
      if (still != null && still.getMetadata().getDeletionTimestamp() == null) {
        left.add(o.getKind() + " " + o.getMetadata().getName());
      }
    }
    assertThat(left).as("objects left after helm uninstall").isEmpty();
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("schemamigrations.schemagate.io")
                .get())
        .as("the CRD stays")
        .isNotNull();
    Files.deleteIfExists(values);
    Files.deleteIfExists(upgradeValues);
  }

  private static com.marcnuri.helm.Helm helm() {
    return SchemagateChart.helm();
  }

  private static Rendered render(Map<String, Object> values) {
    return SchemagateChart.template(values, RELEASE, NAMESPACE);
  }

  private static String refusedByPodSecurity(Pod pod) {
    try {
      admin.pods().inNamespace(NAMESPACE).resource(pod).dryRun().create();
      return "admitted";
    } catch (KubernetesClientException e) {
      return e.getMessage();
    }
  }

  /**
   * Starts the operator and its webhook in this JVM as OperatorMain would in the chart's pod: with
   * a token of the chart's ServiceAccount and the environment of the installed Deployment (the
   * downward API's two values filled in, a free webhook port); waits for a migration's Job and the
   * webhook's certificate, then stops both.
   */
  private static void runTheOperatorAsTheChartConfiguresIt() throws Exception {
    Path kubeconfig = cluster.kubeconfigOf(NAMESPACE, "chart-test-schemagate-operator");
    PodSpec pod =
        admin
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName("chart-test-schemagate-operator")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    Map<String, String> env = environment(pod.getContainers().get(0), NAMESPACE, pod);
    try (ServerSocket socket = new ServerSocket(0)) {
      env.put(WebhookSettings.PORT, String.valueOf(socket.getLocalPort()));
    }
    OperatorSettings fromChart = OperatorSettings.fromEnv(env);
    assertThat(fromChart.watchNamespaces()).containsExactly(WATCHED);
    OperatorSettings.Lease lease = fromChart.lease();
    assertThat(lease.namespace()).isEqualTo(NAMESPACE);
    OperatorSettings settings =
        new OperatorSettings(
            fromChart.watchNamespaces(),
            fromChart.allowedImagePrefixes(),
            // In this JVM: a replica that loses the Lease must not end the test's process.
            new OperatorSettings.Lease(
                lease.namespace(),
                lease.name(),
                lease.duration(),
                lease.renewDeadline(),
                lease.retryPeriod(),
                "chart-test",
                false),
            0,
            fromChart.reconcileThreads());
    try (KubernetesClient client = OperatorRbac.client(kubeconfig, "schemagate-chart-test")) {
      Operator operator = SchemaGateOperator.create(client, settings, Clock.systemUTC());
      try (GateWebhook webhook =
          GateWebhook.start(
              client,
              WebhookSettings.fromEnv(env),
              settings.watchNamespaces(),
              new GateSignals(new EventRecorder(client, Clock.systemUTC()), new GateCounters()),
              Clock.systemUTC())) {
        operator.start();
        RealMigrations.create(admin, WATCHED, "orders");
        Await.until(
            "the migration's Job, and the status naming it",
            Duration.ofSeconds(60),
            () ->
                admin
                    .resources(SchemaMigration.class)
                    .inNamespace(WATCHED)
                    .withName("orders")
                    .get(),
            sm ->
                sm.getStatus() != null
                    && sm.getStatus().getLastRun() != null
                    && sm.getStatus().getLastRun().getJobName() != null
                    && admin
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(WATCHED)
                            .withName(sm.getStatus().getLastRun().getJobName())
                            .get()
                        != null);
        Await.until("the webhook ready", Duration.ofSeconds(30), webhook::isReady, ready -> ready);
        Await.until(
            "orders-api held (its SchemaMigration has not migrated)",
            Duration.ofSeconds(30),
            () -> deployment("orders-api"),
            d -> RealMigrations.heldBy(d, "orders"));
      } finally {
        operator.stop();
      }
    }
  }

  private static void bindUser(String user, String clusterRole) {
    admin
        .rbac()
        .roleBindings()
        .inNamespace(WATCHED)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(user)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .create();
  }

  private static Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(WATCHED).withName(name).get();
  }

  /** An application gated on SchemaMigration "orders"; {@code paused}: by a person. */
  private static Deployment app(String name, boolean paused) {
    Deployment d = Fixtures.app(WATCHED, name, "orders", Map.of());
    d.getSpec().setPaused(paused);
    return d;
  }

  /**
   * How the kubelet stand-in runs a pod of the release namespace: the uninstall hook's container
   * runs {@code release-holds} in this JVM, as OperatorMain would in the operator's image, with a
   * token of the pod's ServiceAccount, the pod's arguments and its environment (the downward API's
   * namespace filled in); first, what that account may do is asked and kept in {@code rights}. The
   * operator's own pods have no process here: they are reported running, and end when deleted.
   */
  private static PodRunner hookRunner(Map<String, Boolean> rights) {
    return pod -> {
      if (!"schemagate-uninstall"
          .equals(pod.getMetadata().getLabels().get("app.kubernetes.io/name"))) {
        return new PodRunner.NotRun();
      }
      Container c = pod.getSpec().getContainers().get(0);
      assertThat(c.getArgs()).first().isEqualTo(ReleaseHolds.COMMAND);
      String account = pod.getSpec().getServiceAccountName();
      rights.put(
          "delete mutatingwebhookconfigurations/chart-test-schemagate-gate",
          cluster.canI(
              HOOK_ACCOUNT, "delete", "mutatingwebhookconfigurations/chart-test-schemagate-gate"));
      rights.put(
          "delete mutatingwebhookconfigurations/other",
          cluster.canI(HOOK_ACCOUNT, "delete", "mutatingwebhookconfigurations/other"));
      rights.put(
          "patch deployments/chart-test-schemagate-operator in " + NAMESPACE,
          cluster.canI(
              HOOK_ACCOUNT,
              "patch",
              "deployments/chart-test-schemagate-operator",
              "--namespace=" + NAMESPACE));
      for (String ns : List.of(NAMESPACE, WATCHED, "default")) {
        rights.put(
            "patch deployments in " + ns,
            cluster.canI(HOOK_ACCOUNT, "patch", "deployments", "--namespace=" + ns));
      }
      rights.put(
          "get deployments in " + WATCHED,
          cluster.canI(HOOK_ACCOUNT, "get", "deployments", "--namespace=" + WATCHED));
      rights.put(
          "delete deployments in " + WATCHED,
          cluster.canI(HOOK_ACCOUNT, "delete", "deployments", "--namespace=" + WATCHED));
      rights.put(
          "get secrets in " + NAMESPACE,
          cluster.canI(HOOK_ACCOUNT, "get", "secrets", "--namespace=" + NAMESPACE));
      rights.put(
          "update schemamigrations.schemagate.io in " + WATCHED,
          cluster.canI(
              HOOK_ACCOUNT, "update", "schemamigrations.schemagate.io", "--namespace=" + WATCHED));
      Path kubeconfig = cluster.kubeconfigOf(pod.getMetadata().getNamespace(), account);
      Map<String, String> env = environment(c, pod.getMetadata().getNamespace(), pod.getSpec());
      String[] rest = c.getArgs().subList(1, c.getArgs().size()).toArray(String[]::new);
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () -> {
                try (KubernetesClient client = OperatorRbac.client(kubeconfig, "schemagate-hook")) {
                  return ReleaseHolds.main(rest, env, client);
                }
              });
      return new PodRunner.Running() {
        @Override
        public Optional<PodRunner.Exit> await(Duration timeout) throws InterruptedException {
          try {
            return Optional.of(
                new PodRunner.Exit(run.get(timeout.toMillis(), TimeUnit.MILLISECONDS), ""));
          } catch (TimeoutException e) {
            return Optional.empty();
          } catch (ExecutionException e) {
            return Optional.of(new PodRunner.Exit(1, String.valueOf(e.getCause())));
          }
        }

        @Override
        public PodRunner.Exit stop(Duration grace) {
          run.cancel(true);
          return new PodRunner.Exit(143, "");
        }
      };
    };
  }

  /** {@code kubectl auth can-i} as the chart's ServiceAccount; "" for all namespaces. */
  private static boolean canI(String verb, String resource, String namespace, String... more) {
    List<String> flags = new ArrayList<>(List.of(more));
    flags.add(namespace.isEmpty() ? "--all-namespaces" : "--namespace=" + namespace);
    return cluster.canI(ACCOUNT, verb, resource, flags.toArray(String[]::new));
  }

  /** {@code kubectl auth can-i} as {@code user} in the watched namespace. */
  private static boolean canUser(String user, String verb, String resource, String... more) {
    List<String> flags = new ArrayList<>(List.of("--namespace=" + WATCHED));
    flags.addAll(List.of(more));
    return cluster.canI(user, verb, resource, flags.toArray(String[]::new));
  }

  /**
   * A container's environment as the kubelet gives it to the process: its values, and the downward
   * API's namespace and ServiceAccount of the pod ({@code pod}, in {@code namespace}).
   */
  private static Map<String, String> environment(Container c, String namespace, PodSpec pod) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
        continue;
      }
      String field = e.getValueFrom().getFieldRef().getFieldPath();
      switch (field) {
        case "metadata.namespace" -> env.put(e.getName(), namespace);
        case "spec.serviceAccountName" -> env.put(e.getName(), pod.getServiceAccountName());
        default -> throw new IllegalStateException(e.getName() + ": no stand-in for " + field);
      }
    }
    return env;
  }
}
