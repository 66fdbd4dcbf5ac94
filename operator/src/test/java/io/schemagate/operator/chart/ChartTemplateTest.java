package io.schemagate.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.operator.chart.SchemagateChart.Rendered;
import io.schemagate.operator.testing.OperatorRbac;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} of {@code helm/schemagate} with its defaults and with each option, read as
 * the API server would get it: the operator's least-privilege RBAC equal to {@code
 * operator/deploy/rbac.yaml}, restricted pods, the webhook of {@code operator/deploy/webhook.yaml},
 * the shipped CRD, alerts and dashboard unchanged.
 */
class ChartTemplateTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String OPERATOR = "schemagate-operator";
  private static final String LEASE_ROLE = "schemagate-operator-leader-election";
  private static final Path CONCEPTS = Path.of("..", "docs", "concepts.md");
  private static final Path OBSERVABILITY = Path.of("..", "docs", "observability.md");

  /** Every option on: a list of namespaces, cert-manager, JSON logs, monitoring, network policy. */
  private static final Map<String, Object> EVERY_OPTION =
      Map.of(
          "watchNamespaces", List.of("shop", "billing"),
          "allowedImagePrefixes", List.of("registry.example.com/migrations/"),
          "webhook", Map.of("certificates", "cert-manager"),
          "log", Map.of("format", "json", "level", "debug"),
          "metrics", Map.of("serviceMonitor", Map.of("enabled", true)),
          "alerts", Map.of("prometheusRule", Map.of("enabled", true), "slowAfterSeconds", 600),
          "dashboard", Map.of("enabled", true),
          "networkPolicy", Map.of("enabled", true));

  private final Rendered defaults = SchemagateChart.template(Map.of());

  @Test
  void theChartsCrdIsTheGeneratedOneByteForByte() throws IOException {
    Path generated = Path.of("..", "crds", "schemamigrations.schemagate.io-v1.yml");
    Path chartCrds = SchemagateChart.DIR.resolve("crds");
    try (Stream<Path> files = Files.list(chartCrds)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly(generated.getFileName().toString());
    }
    assertThat(Files.mismatch(chartCrds.resolve(generated.getFileName()), generated))
        .as("helm/schemagate/crds/ against crds/ (copy it after make crds)")
        .isEqualTo(-1L);
  }

  @Test
  void theChartsAlertsAndDashboardAreTheShippedFiles() throws IOException {
    Path files = SchemagateChart.DIR.resolve("files");
    assertThat(
            Files.mismatch(
                files.resolve("schemagate-alerts.yaml"),
                Path.of("deploy", "prometheus", "schemagate-alerts.yaml")))
        .as("helm/schemagate/files/schemagate-alerts.yaml against operator/deploy/prometheus/")
        .isEqualTo(-1L);
    assertThat(
            Files.mismatch(
                files.resolve("schemagate-dashboard.json"),
                Path.of("deploy", "grafana", "schemagate-dashboard.json")))
        .as("helm/schemagate/files/schemagate-dashboard.json against operator/deploy/grafana/")
        .isEqualTo(-1L);
  }

  @Test
  void byDefaultTheOperatorHasExactlyTheRulesOfRbacYamlClusterWide() {
    OperatorRbac committed = OperatorRbac.committed();
    ClusterRole cluster = defaults.named(ClusterRole.class, OPERATOR);
    Role lease = defaults.named(Role.class, LEASE_ROLE);
    assertThat(rules(cluster.getRules()))
        .as("the ClusterRole against operator/deploy/rbac.yaml's")
        .isEqualTo(rules(committed.clusterRules()));
    assertThat(rules(lease.getRules()))
        .as("the release namespace's Role against operator/deploy/rbac.yaml's")
        .isEqualTo(rules(committed.namespaceRules()));
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(SchemagateChart.NAMESPACE);
    assertThat(defaults.all(Role.class)).hasSize(1);

    ClusterRoleBinding clusterBinding = defaults.named(ClusterRoleBinding.class, OPERATOR);
    assertThat(clusterBinding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(OPERATOR);
    assertThat(clusterBinding.getSubjects()).singleElement().satisfies(this::isTheOperator);
    RoleBinding leaseBinding = defaults.named(RoleBinding.class, LEASE_ROLE);
    assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(SchemagateChart.NAMESPACE);
    assertThat(leaseBinding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(leaseBinding.getRoleRef().getName()).isEqualTo(LEASE_ROLE);
    assertThat(leaseBinding.getSubjects()).singleElement().satisfies(this::isTheOperator);

    ServiceAccount account = defaults.one(ServiceAccount.class);
    assertThat(account.getMetadata().getName()).isEqualTo(OPERATOR);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(SchemagateChart.NAMESPACE);
  }

  @Test
  void watchingListedNamespacesGrantsTheWatchedRulesByRolesThereAndNothingClusterWide() {
    Rendered listed =
        SchemagateChart.template(Map.of("watchNamespaces", List.of("shop", "billing")));
    OperatorRbac committed = OperatorRbac.committed();
    Predicate<PolicyRule> clusterScoped =
        r -> r.getApiGroups().contains("admissionregistration.k8s.io");
    Set<String> watched =
        rules(committed.clusterRules().stream().filter(clusterScoped.negate()).toList());
    for (String ns : List.of("shop", "billing")) {
      Role role =
          listed.all(Role.class).stream()
              .filter(r -> r.getMetadata().getNamespace().equals(ns))
              .collect(Collectors.collectingAndThen(Collectors.toList(), ChartTemplateTest::only));
      assertThat(rules(role.getRules())).as("the Role in " + ns).isEqualTo(watched);
      RoleBinding binding =
          listed.all(RoleBinding.class).stream()
              .filter(b -> ns.equals(b.getMetadata().getNamespace()))
              .collect(Collectors.collectingAndThen(Collectors.toList(), ChartTemplateTest::only));
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(this::isTheOperator);
    }
    assertThat(listed.all(Role.class).stream().map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("shop", "billing", SchemagateChart.NAMESPACE);
    assertThat(rules(listed.named(ClusterRole.class, OPERATOR).getRules()))
        .as("the operator's ClusterRole: the webhook configuration only")
        .isEqualTo(rules(committed.clusterRules().stream().filter(clusterScoped).toList()));
    assertThat(rules(listed.named(Role.class, LEASE_ROLE).getRules()))
        .isEqualTo(rules(committed.namespaceRules()));
    assertThat(env(listed)).containsEntry("SCHEMAGATE_WATCH_NAMESPACES", "shop,billing");
    assertThat(webhook(listed).getNamespaceSelector().getMatchExpressions())
        .anySatisfy(
            e -> {
              assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
              assertThat(e.getOperator()).isEqualTo("In");
              assertThat(e.getValues()).containsExactly("shop", "billing");
            });
  }

  @Test
  void noRoleOfTheChartUsesAWildcardAndTheOnlySecretIsTheWebhooksByName() {
    for (Rendered r : List.of(defaults, SchemagateChart.template(EVERY_OPTION))) {
      List<PolicyRule> all = new ArrayList<>();
      r.all(ClusterRole.class).forEach(c -> all.addAll(c.getRules()));
      r.all(Role.class).forEach(c -> all.addAll(c.getRules()));
      assertThat(all)
          .isNotEmpty()
          .allSatisfy(
              rule -> {
                Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())
                    .forEach(v -> assertThat(v).isNotEmpty().doesNotContain("*"));
                if (rule.getResources().contains("secrets")) {
                  assertThat(rule.getResourceNames())
                      .containsExactly(env(r).get("SCHEMAGATE_WEBHOOK_SECRET"));
                }
              });
    }
  }

  @Test
  void namespaceAdminsAndEditorsManageSchemaMigrationsAndViewersReadThem() {
    Map<String, Set<String>> verbsByAggregation = new java.util.HashMap<>();
    for (ClusterRole role : defaults.all(ClusterRole.class)) {
      role.getMetadata().getLabels().entrySet().stream()
          .filter(l -> l.getKey().startsWith("rbac.authorization.k8s.io/aggregate-to-"))
          .filter(l -> l.getValue().equals("true"))
          .forEach(
              l ->
                  role.getRules().stream()
                      .filter(r -> r.getResources().contains("schemamigrations"))
                      .forEach(
                          r ->
                              verbsByAggregation
                                  .computeIfAbsent(
                                      l.getKey().substring(l.getKey().lastIndexOf('-') + 1),
                                      k -> new TreeSet<>())
                                  .addAll(r.getVerbs())));
      if (role.getMetadata().getName().equals(OPERATOR)) {
        assertThat(role.getMetadata().getLabels().keySet())
            .as("the operator's own role is aggregated into no user's")
            .noneMatch(k -> k.contains("aggregate"));
      }
    }
    Set<String> manage =
        Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    assertThat(verbsByAggregation.get("admin")).containsExactlyInAnyOrderElementsOf(manage);
    assertThat(verbsByAggregation.get("edit")).containsExactlyInAnyOrderElementsOf(manage);
    assertThat(verbsByAggregation.get("view")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(defaults.all(ClusterRole.class))
        .filteredOn(c -> !c.getMetadata().getName().equals(OPERATOR))
        .allSatisfy(
            c ->
                assertThat(c.getRules())
                    .as("no aggregated role writes status")
                    .noneMatch(
                        r ->
                            r.getResources().contains("schemamigrations/status")
                                && !Set.of("get", "list", "watch").containsAll(r.getVerbs())));
  }

  @Test
  void everyPodRunsUnderRestrictedPodSecurity() {
    for (Rendered r : List.of(defaults, SchemagateChart.template(EVERY_OPTION))) {
      List<Deployment> deployments = r.all(Deployment.class);
      assertThat(deployments).isNotEmpty();
      for (Deployment d : deployments) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).isPositive();
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getAutomountServiceAccountToken())
            .as("the operator needs its token")
            .isTrue();
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
          containers.addAll(pod.getInitContainers());
        }
        assertThat(containers)
            .allSatisfy(
                c -> {
                  SecurityContext s = c.getSecurityContext();
                  assertThat(s.getAllowPrivilegeEscalation()).isFalse();
                  assertThat(s.getReadOnlyRootFilesystem()).isTrue();
                  assertThat(s.getRunAsNonRoot()).isNotEqualTo(Boolean.FALSE);
                  assertThat(s.getPrivileged()).isNotEqualTo(Boolean.TRUE);
                  assertThat(s.getCapabilities().getDrop()).containsExactly("ALL");
                  assertThat(s.getCapabilities().getAdd()).isNullOrEmpty();
                  assertThat(s.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
                  assertThat(c.getVolumeMounts())
                      .anySatisfy(
                          m -> {
                            assertThat(m.getMountPath()).isEqualTo("/tmp");
                            assertThat(
                                    pod.getVolumes().stream()
                                        .filter(v -> v.getName().equals(m.getName()))
                                        .findFirst()
                                        .orElseThrow()
                                        .getEmptyDir())
                                .as("/tmp is an emptyDir")
                                .isNotNull();
                          });
                  assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
                  assertThat(c.getResources().getLimits()).containsKey("memory");
                });
      }
    }
  }

  @Test
  void theOperatorIsConfiguredWithTheVariablesDocsConceptsNames() throws IOException {
    Deployment d = defaults.one(Deployment.class);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = env(defaults);
    String concepts = Files.readString(CONCEPTS);
    assertThat(c.getEnv())
        .allSatisfy(
            e ->
                assertThat(concepts)
                    .as("docs/concepts.md names %s", e.getName())
                    .contains("`" + e.getName() + "`"));
    assertThat(env)
        .containsEntry("SCHEMAGATE_WATCH_NAMESPACES", "")
        .containsEntry("SCHEMAGATE_ALLOWED_IMAGE_PREFIXES", "")
        .containsEntry("SCHEMAGATE_HTTP_PORT", "8080")
        .containsEntry("SCHEMAGATE_WEBHOOK_PORT", "9443")
        .containsEntry("SCHEMAGATE_RECONCILE_THREADS", "2")
        .containsEntry("SCHEMAGATE_WEBHOOK_CERTIFICATES", "generate")
        .containsEntry("SCHEMAGATE_LEASE_NAMESPACE", SchemagateChart.NAMESPACE)
        .containsEntry("SCHEMAGATE_LOG_FORMAT", "text")
        .containsEntry("SCHEMAGATE_LOG_LEVEL", "info");
    assertThat(fieldPath(c, "SCHEMAGATE_NAMESPACE")).isEqualTo("metadata.namespace");
    assertThat(fieldPath(c, "SCHEMAGATE_SERVICE_ACCOUNT")).isEqualTo("spec.serviceAccountName");
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(OPERATOR);

    // The names the operator is given are those of the chart's objects and of its RBAC.
    assertThat(defaults.named(Secret.class, env.get("SCHEMAGATE_WEBHOOK_SECRET"))).isNotNull();
    assertThat(defaults.named(Service.class, env.get("SCHEMAGATE_WEBHOOK_SERVICE"))).isNotNull();
    assertThat(
            defaults.named(
                MutatingWebhookConfiguration.class, env.get("SCHEMAGATE_WEBHOOK_CONFIGURATION")))
        .isNotNull();
    assertThat(defaults.named(Role.class, LEASE_ROLE).getRules())
        .anySatisfy(
            r ->
                assertThat(r.getResourceNames())
                    .containsExactly(env.getOrDefault("SCHEMAGATE_LEASE_NAME", OPERATOR)));

    Rendered json =
        SchemagateChart.template(
            Map.of(
                "log",
                Map.of("format", "json", "level", "debug"),
                "allowedImagePrefixes",
                List.of("registry.example.com/migrations/", "ghcr.io/acme/"),
                "reconcileThreads",
                4));
    assertThat(env(json))
        .containsEntry("SCHEMAGATE_LOG_FORMAT", "json")
        .containsEntry("SCHEMAGATE_LOG_LEVEL", "debug")
        .containsEntry(
            "SCHEMAGATE_ALLOWED_IMAGE_PREFIXES", "registry.example.com/migrations/,ghcr.io/acme/")
        .containsEntry("SCHEMAGATE_RECONCILE_THREADS", "4");
  }

  @Test
  void twoReplicasProbedOnHealthzAndReadyzKeptUpByADisruptionBudget() {
    Deployment d = defaults.one(Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getPorts())
        .anySatisfy(
            p -> assertThat(p.getName() + ":" + p.getContainerPort()).isEqualTo("http:8080"))
        .anySatisfy(
            p -> assertThat(p.getName() + ":" + p.getContainerPort()).isEqualTo("webhook:9443"));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(env(defaults)).containsKey("SCHEMAGATE_LEASE_NAMESPACE");

    PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theImageIsTheRepositoryAtTheChartsAppVersionUnlessATagIsGiven() {
    assertThat(image(defaults)).isEqualTo("ghcr.io/schemagate/schemagate-operator:0.1.0");
    Rendered tagged =
        SchemagateChart.template(
            Map.of(
                "image", Map.of("repository", "registry.example.com/schemagate", "tag", "1.2.3")));
    assertThat(image(tagged)).isEqualTo("registry.example.com/schemagate:1.2.3");
  }

  @Test
  void theWebhookIsTheOneOfOperatorDeployWebhookYaml() throws IOException {
    MutatingWebhookConfiguration shipped =
        Stream.of(Files.readString(Path.of("deploy", "webhook.yaml")).split("(?m)^---\\s*$"))
            .filter(doc -> doc.contains("kind: MutatingWebhookConfiguration"))
            .map(doc -> Serialization.unmarshal(doc, MutatingWebhookConfiguration.class))
            .findFirst()
            .orElseThrow();
    MutatingWebhookConfiguration rendered = defaults.one(MutatingWebhookConfiguration.class);
    assertThat(rendered.getMetadata().getName()).isEqualTo(shipped.getMetadata().getName());
    assertThat(rendered.getWebhooks())
        .as("every field, as the release schemagate in schemagate-system names them")
        .isEqualTo(shipped.getWebhooks());
    MutatingWebhook w = webhook(defaults);
    assertThat(w.getFailurePolicy()).isEqualTo("Fail");
    assertThat(w.getSideEffects()).isEqualTo("NoneOnDryRun");
    assertThat(w.getTimeoutSeconds()).isEqualTo(5);
    assertThat(w.getClientConfig().getCaBundle()).isNull();
    assertThat(w.getObjectSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getKey() + " " + e.getOperator())
                    .isEqualTo("schemagate.io/gate Exists"));
    assertThat(w.getNamespaceSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getOperator()).isEqualTo("NotIn");
              assertThat(e.getValues()).containsExactly(SchemagateChart.NAMESPACE, "kube-system");
            });
    assertThat(w.getMatchConditions())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.getExpression())
                    .isEqualTo(
                        "request.userInfo.username != 'system:serviceaccount:"
                            + SchemagateChart.NAMESPACE
                            + ":"
                            + OPERATOR
                            + "'"));

    Service service = defaults.one(Service.class);
    assertThat(service.getMetadata().getName())
        .isEqualTo(w.getClientConfig().getService().getName());
    assertThat(service.getSpec().getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getPort()).isEqualTo(443);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
            })
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(defaults.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
  }

  @Test
  void theGeneratedCertificatesSecretCarriesNoDataThatAnUpgradeCouldWriteBack() {
    Secret secret = defaults.one(Secret.class);
    assertThat(secret.getMetadata().getName()).isEqualTo("schemagate-operator-webhook-tls");
    assertThat(secret.getData()).isNullOrEmpty();
    assertThat(secret.getStringData()).isNullOrEmpty();
    assertThat(defaults.ofKind("Certificate")).isEmpty();
  }

  @Test
  void withCertManagerACertificateWritesTheSecretAndTheInjectorTheCaBundle() {
    Rendered cm =
        SchemagateChart.template(Map.of("webhook", Map.of("certificates", "cert-manager")));
    Map<String, String> env = env(cm);
    assertThat(env).containsEntry("SCHEMAGATE_WEBHOOK_CERTIFICATES", "cert-manager");
    assertThat(cm.all(Secret.class)).as("cert-manager creates the Secret").isEmpty();
    HasMetadata certificate = only(cm.ofKind("Certificate"));
    Map<String, Object> spec = spec(certificate);
    assertThat(spec).containsEntry("secretName", env.get("SCHEMAGATE_WEBHOOK_SECRET"));
    String host = env.get("SCHEMAGATE_WEBHOOK_SERVICE") + "." + SchemagateChart.NAMESPACE + ".svc";
    assertThat(spec.get("dnsNames")).isEqualTo(List.of(host, host + ".cluster.local"));
    HasMetadata issuer = only(cm.ofKind("Issuer"));
    assertThat(spec(issuer)).containsKey("selfSigned");
    assertThat(spec.get("issuerRef"))
        .isEqualTo(
            Map.of(
                "name",
                issuer.getMetadata().getName(),
                "kind",
                "Issuer",
                "group",
                "cert-manager.io"));
    assertThat(cm.one(MutatingWebhookConfiguration.class).getMetadata().getAnnotations())
        .containsEntry(
            "cert-manager.io/inject-ca-from",
            SchemagateChart.NAMESPACE + "/" + certificate.getMetadata().getName());
    // The operator only reads the Secret, and never touches the webhook configuration.
    assertThat(rules(cm.named(Role.class, LEASE_ROLE).getRules()))
        .contains("|secrets|schemagate-operator-webhook-tls|get");
    assertThat(rules(cm.named(ClusterRole.class, OPERATOR).getRules()))
        .noneMatch(r -> r.contains("mutatingwebhookconfigurations"));

    Rendered corporate =
        SchemagateChart.template(
            Map.of(
                "webhook",
                Map.of(
                    "certificates",
                    "cert-manager",
                    "certManager",
                    Map.of("issuerRef", Map.of("name", "corp-ca", "kind", "ClusterIssuer")))));
    assertThat(corporate.ofKind("Issuer")).isEmpty();
    assertThat(spec(only(corporate.ofKind("Certificate"))).get("issuerRef"))
        .isEqualTo(Map.of("name", "corp-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"));
  }

  @Test
  void monitoringAndTheNetworkPolicyAreOffByDefault() {
    for (String kind :
        List.of("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "ConfigMap", "Issuer")) {
      assertThat(defaults.ofKind(kind)).as(kind).isEmpty();
    }
  }

  @Test
  void thePrometheusRuleHoldsTheShippedAlertsAndTheSlowThresholdOfDocsObservability()
      throws IOException {
    JsonNode shipped =
        YAML.readTree(Path.of("deploy", "prometheus", "schemagate-alerts.yaml").toFile())
            .path("groups");
    Rendered plain =
        SchemagateChart.template(
            Map.of("alerts", Map.of("prometheusRule", Map.of("enabled", true))));
    assertThat(groups(plain)).isEqualTo(shipped);

    Rendered slow = SchemagateChart.template(EVERY_OPTION);
    JsonNode groups = groups(slow);
    String docs = null;
    Matcher block =
        Pattern.compile("```promql\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(OBSERVABILITY));
    while (block.find()) {
      if (block.group(1).contains(".Values.alerts.slowAfterSeconds")) {
        docs = block.group(1).replace("{{ .Values.alerts.slowAfterSeconds }}", "600").trim();
      }
    }
    assertThat(docs).as("the chart's expression in docs/observability.md").isNotNull();
    for (int g = 0; g < shipped.size(); g++) {
      for (int i = 0; i < shipped.get(g).path("rules").size(); i++) {
        JsonNode rule = groups.get(g).path("rules").get(i);
        JsonNode original = shipped.get(g).path("rules").get(i);
        if (rule.path("alert").asText().equals("SchemaMigrationSlow")) {
          assertThat(rule.path("expr").asText()).isEqualTo(docs);
          assertThat((Object) withoutExpr(rule)).isEqualTo(withoutExpr(original));
        } else {
          assertThat(rule).isEqualTo(original);
        }
      }
    }
  }

  @Test
  void theServiceMonitorScrapesTheMetricsPortKeepingTheSeriesNamespace() {
    Rendered on = SchemagateChart.template(EVERY_OPTION);
    Map<String, Object> spec = spec(only(on.ofKind("ServiceMonitor")));
    assertThat(spec.get("selector"))
        .isEqualTo(
            Map.of(
                "matchLabels",
                on.one(Service.class).getMetadata().getLabels().entrySet().stream()
                    .filter(
                        e -> on.one(Service.class).getSpec().getSelector().containsKey(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    assertThat(spec.get("endpoints"))
        .isEqualTo(
            List.of(
                Map.of(
                    "port",
                    "metrics",
                    "path",
                    "/metrics",
                    "interval",
                    "30s",
                    "honorLabels",
                    true)));
  }

  @Test
  void theDashboardConfigMapHoldsTheShippedDashboardForGrafanasSidecar() throws IOException {
    ConfigMap dashboard = SchemagateChart.template(EVERY_OPTION).one(ConfigMap.class);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("schemagate.json"))
        .isEqualTo(
            Files.readString(Path.of("deploy", "grafana", "schemagate-dashboard.json"))
                .stripTrailing());
  }

  @Test
  void theNetworkPolicyLetsInTheWebhookAndMetricsAndOutOnlyTheApiServerAndDns() {
    NetworkPolicy policy = SchemagateChart.template(EVERY_OPTION).one(NetworkPolicy.class);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(defaults.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(
            policy.getSpec().getIngress().stream()
                .flatMap(i -> i.getPorts().stream())
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()))
        .containsExactlyInAnyOrder("TCP/9443", "TCP/8080");
    assertThat(
            policy.getSpec().getEgress().stream()
                .flatMap(e -> e.getPorts().stream())
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()))
        .containsExactlyInAnyOrder("TCP/443", "TCP/6443", "UDP/53", "TCP/53");
  }

  // --- helpers

  /** Each rule as group|resource|names|verbs, verbs sorted; one group and resource per rule. */
  private static Set<String> rules(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          out.add(
              group
                  + "|"
                  + resource
                  + "|"
                  + String.join(
                      ",", r.getResourceNames() == null ? List.of() : r.getResourceNames())
                  + "|"
                  + String.join(",", new TreeSet<>(r.getVerbs())));
        }
      }
    }
    return out;
  }

  private static JsonNode withoutExpr(JsonNode rule) {
    return ((ObjectNode) rule.deepCopy()).without("expr");
  }

  private void isTheOperator(Subject s) {
    assertThat(s.getKind()).isEqualTo("ServiceAccount");
    assertThat(s.getName()).isEqualTo(OPERATOR);
    assertThat(s.getNamespace()).isEqualTo(SchemagateChart.NAMESPACE);
  }

  private static <T> T only(List<T> found) {
    if (found.size() != 1) {
      throw new AssertionError("expected one, found " + found.size() + ": " + found);
    }
    return found.get(0);
  }

  private static Map<String, String> env(Rendered r) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (EnvVar e :
        r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private static String fieldPath(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getFieldRef()
        .getFieldPath();
  }

  private static String image(Rendered r) {
    List<String> images =
        r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().stream()
            .map(Container::getImage)
            .distinct()
            .toList();
    assertThat(images).hasSize(1);
    return images.get(0);
  }

  private static MutatingWebhook webhook(Rendered r) {
    List<MutatingWebhook> webhooks = r.one(MutatingWebhookConfiguration.class).getWebhooks();
    assertThat(webhooks).hasSize(1);
    return webhooks.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(HasMetadata o) {
    return (Map<String, Object>)
        ((GenericKubernetesResource) o).getAdditionalProperties().get("spec");
  }

  private static JsonNode groups(Rendered r) {
    return YAML.valueToTree(spec(only(r.ofKind("PrometheusRule")))).path("groups");
  }
}
