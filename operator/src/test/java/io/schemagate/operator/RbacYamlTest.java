package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.schemagate.operator.testing.OperatorRbac;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code operator/deploy/rbac.yaml} read as the chart and a reviewer will: least privilege, every
 * rule explained, the operator's account bound to both roles, and docs/security.md listing exactly
 * its rules. That the operator needs each rule, and no more, is {@link OperatorRbacTest}'s.
 */
class RbacYamlTest {
  private static final Path DOC = Path.of("..", "docs", "security.md");
  private final OperatorRbac rbac = OperatorRbac.committed();

  @Test
  void noRuleUsesAWildcardAndTheOnlySecretIsTheWebhooksCertificateByName() {
    assertThat(rules())
        .isNotEmpty()
        .allSatisfy(
            r -> {
              Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs())
                  .forEach(values -> assertThat(values).isNotEmpty().doesNotContain("*"));
              if (r.getResources().contains("secrets")) {
                assertThat(r.getResources()).containsExactly("secrets");
                assertThat(r.getResourceNames()).containsExactly("schemagate-operator-webhook-tls");
                assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "update");
              }
              assertThat(r.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  @Test
  void everyRuleHasACommentSayingWhy() throws IOException {
    List<String> lines = Files.readAllLines(OperatorRbac.FILE);
    int rules = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().startsWith("- apiGroups:")) {
        rules++;
        assertThat(lines.get(i - 1).trim())
            .as("the line before rule %s", lines.get(i))
            .startsWith("#");
      }
    }
    assertThat(rules).isEqualTo(rules().size());
  }

  @Test
  void theServiceAccountIsBoundToTheClusterRoleAndToTheLeaseRoleInItsNamespace() {
    ServiceAccount account = only(ServiceAccount.class);
    assertThat(account.getMetadata().getName()).isEqualTo(OperatorRbac.NAME);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(OperatorRbac.NAMESPACE);
    ClusterRoleBinding cluster = only(ClusterRoleBinding.class);
    assertThat(cluster.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(cluster.getRoleRef().getName())
        .isEqualTo(only(ClusterRole.class).getMetadata().getName());
    assertThat(cluster.getSubjects()).singleElement().satisfies(this::isTheAccount);
    Role role = only(Role.class);
    RoleBinding binding = only(RoleBinding.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(OperatorRbac.NAMESPACE);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(OperatorRbac.NAMESPACE);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(this::isTheAccount);
    assertThat(role.getRules())
        .allSatisfy(r -> assertThat(r.getResources()).containsAnyOf("leases", "secrets"));
  }

  @Test
  void docsSecurityListsExactlyTheseRules() throws IOException {
    String doc = Files.readString(DOC);
    int section = doc.indexOf("\n## RBAC rules\n");
    assertThat(section).as("docs/security.md has a section RBAC rules").isPositive();
    // The operator's own rules: up to the next heading (its subsections are about other roles).
    int next = doc.indexOf("\n## ", section + 1);
    int sub = doc.indexOf("\n### ", section + 1);
    if (sub >= 0 && (next < 0 || sub < next)) {
      next = sub;
    }
    List<String> rows =
        doc.substring(section, next < 0 ? doc.length() : next)
            .lines()
            .filter(l -> l.startsWith("| core |") || l.startsWith("| `"))
            .toList();
    List<String> expected = new ArrayList<>();
    for (PolicyRule r : rules()) {
      String group = r.getApiGroups().get(0);
      String row =
          "| "
              + (group.isEmpty() ? "core" : "`" + group + "`")
              + " | `"
              + r.getResources().get(0)
              + "`"
              + (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                  ? ""
                  : " named `" + String.join("`, `", r.getResourceNames()) + "`")
              + " | "
              + String.join(", ", r.getVerbs())
              + " |";
      expected.add(row);
      assertThat(rows).as("docs/security.md").anySatisfy(l -> assertThat(l).startsWith(row));
    }
    assertThat(rows).as("rows of the RBAC table").hasSameSizeAs(expected);
  }

  private void isTheAccount(Subject s) {
    assertThat(s.getKind()).isEqualTo("ServiceAccount");
    assertThat(s.getName()).isEqualTo(OperatorRbac.NAME);
    assertThat(s.getNamespace()).isEqualTo(OperatorRbac.NAMESPACE);
  }

  private List<PolicyRule> rules() {
    List<PolicyRule> all = new ArrayList<>(rbac.clusterRules());
    all.addAll(rbac.namespaceRules());
    all.forEach(
        r -> {
          assertThat(r.getApiGroups()).as("one group per rule").hasSize(1);
          assertThat(r.getResources()).as("one resource per rule").hasSize(1);
        });
    return all;
  }

  private <T extends HasMetadata> T only(Class<T> kind) {
    List<T> found = rbac.objects().stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
