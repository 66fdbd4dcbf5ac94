package io.schemagate.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The operator's RBAC, {@code operator/deploy/rbac.yaml}: read, applied to a real control plane as
 * a user would, or changed first (other names and namespace, a verb taken away) for a test that
 * shows what happens without one rule.
 */
public final class OperatorRbac {
  public static final Path FILE = Path.of("deploy", "rbac.yaml");
  public static final String NAME = "schemagate-operator";
  public static final String NAMESPACE = "schemagate-system";

  private final List<HasMetadata> objects;
  private final String name;
  private final String namespace;
  private final boolean committed;

  private OperatorRbac(
      List<HasMetadata> objects, String name, String namespace, boolean committed) {
    this.objects = objects;
    this.name = name;
    this.namespace = namespace;
    this.committed = committed;
  }

  /** The file as committed. */
  public static OperatorRbac committed() {
    String text;
    try {
      text = Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    return new OperatorRbac(objects, NAME, NAMESPACE, true);
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  /** The rules of the ClusterRole. */
  public List<PolicyRule> clusterRules() {
    return objects.stream()
        .filter(ClusterRole.class::isInstance)
        .map(o -> ((ClusterRole) o).getRules())
        .findFirst()
        .orElseThrow();
  }

  /** The rules of the Role in the operator's namespace. */
  public List<PolicyRule> namespaceRules() {
    return objects.stream()
        .filter(Role.class::isInstance)
        .map(o -> ((Role) o).getRules())
        .findFirst()
        .orElseThrow();
  }

  /** The name the API server knows the operator's ServiceAccount by. */
  public String user() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  public String namespace() {
    return namespace;
  }

  public String serviceAccount() {
    return name;
  }

  /**
   * The same objects named {@code newName} instead of {@code schemagate-operator} (the Role and
   * RoleBinding keep their suffix), the namespaced ones in {@code newNamespace}; the Lease's name
   * in the rules stays. So a test can change them without touching other tests' operators.
   */
  public OperatorRbac renamed(String newName, String newNamespace) {
    List<HasMetadata> copies = new ArrayList<>();
    for (HasMetadata o : objects) {
      HasMetadata c = Serialization.clone(o);
      c.getMetadata().setName(c.getMetadata().getName().replace(name, newName));
      if (c.getMetadata().getNamespace() != null) {
        c.getMetadata().setNamespace(newNamespace);
      }
      if (c instanceof ClusterRoleBinding b) {
        b.getRoleRef().setName(b.getRoleRef().getName().replace(name, newName));
        b.getSubjects().forEach(s -> rename(s, newName, newNamespace));
      }
      if (c instanceof RoleBinding b) {
        b.getRoleRef().setName(b.getRoleRef().getName().replace(name, newName));
        b.getSubjects().forEach(s -> rename(s, newName, newNamespace));
      }
      copies.add(c);
    }
    return new OperatorRbac(copies, newName, newNamespace, false);
  }

  private static void rename(Subject s, String newName, String newNamespace) {
    s.setName(newName);
    s.setNamespace(newNamespace);
  }

  /**
   * These objects without {@code verb} on {@code resource} (e.g. {@code jobs}, {@code
   * schemamigrations/finalizers}) of {@code apiGroup}; a rule left without verbs goes.
   */
  public OperatorRbac without(String apiGroup, String resource, String verb) {
    List<HasMetadata> copies = objects.stream().map(Serialization::clone).toList();
    boolean found = false;
    for (HasMetadata o : copies) {
      List<PolicyRule> rules =
          o instanceof ClusterRole r ? r.getRules() : o instanceof Role r ? r.getRules() : null;
      if (rules == null) {
        continue;
      }
      for (PolicyRule rule : rules) {
        if (rule.getApiGroups().contains(apiGroup)
            && rule.getResources().contains(resource)
            && rule.getVerbs().contains(verb)) {
          if (rule.getApiGroups().size() != 1 || rule.getResources().size() != 1) {
            throw new IllegalStateException("a rule for more than " + resource + ": split it");
          }
          rule.setVerbs(new ArrayList<>(rule.getVerbs()));
          rule.getVerbs().remove(verb);
          found = true;
        }
      }
      rules.removeIf(r -> r.getVerbs().isEmpty());
    }
    if (!found) {
      throw new IllegalArgumentException("no rule grants " + verb + " on " + resource);
    }
    return new OperatorRbac(copies, name, namespace, false);
  }

  /** The objects as one YAML stream. */
  public String yaml() {
    return objects.stream().map(Serialization::asYaml).collect(Collectors.joining("\n"));
  }

  /**
   * Applies the objects with {@code kubectl apply} (the committed file itself, when unchanged),
   * after creating their namespace if needed, and returns a kubeconfig with a fresh token of the
   * ServiceAccount ({@code kubectl create token}).
   */
  public Path install(ControlPlane cluster) {
    ControlPlane.Kubectl ns = cluster.kubectl("create", "namespace", namespace);
    if (ns.exitCode() != 0 && !ns.stderr().contains("AlreadyExists")) {
      throw new IllegalStateException("kubectl create namespace: " + ns.stderr());
    }
    ControlPlane.Kubectl apply =
        committed
            ? cluster.kubectl("apply", "-f", FILE.toString())
            : cluster.kubectl(cluster.kubeconfig(), yaml(), "apply", "-f", "-");
    if (apply.exitCode() != 0) {
      throw new IllegalStateException("kubectl apply of the RBAC: " + apply.stderr());
    }
    return cluster.kubeconfigOf(namespace, name);
  }

  /** {@code kubectl auth can-i VERB RESOURCE [-n NS] --as=<the operator>}: whether it may. */
  public boolean canI(ControlPlane cluster, String verb, String resource, String inNamespace) {
    return inNamespace == null
        ? cluster.canI(user(), verb, resource)
        : cluster.canI(user(), verb, resource, "-n", inNamespace);
  }

  /** A client as the operator from {@code kubeconfig}, sending {@code userAgent}. */
  public static KubernetesClient client(Path kubeconfig, String userAgent) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setUserAgent(userAgent);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
