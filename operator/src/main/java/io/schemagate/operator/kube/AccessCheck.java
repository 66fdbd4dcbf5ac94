package io.schemagate.operator.kube;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server whether this process's account may make some requests, with one
 * SelfSubjectAccessReview each (which every authenticated user may create): the answer of the
 * authorizer itself, not a reading of roles.
 */
public final class AccessCheck {
  private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);

  /** A request kind: {@code verb} on {@code resource} of API group {@code group} ("" is core). */
  public record Access(String verb, String group, String resource) {
    /** As kubectl names it: {@code watch pods}, {@code list jobs.batch}. */
    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? resource : resource + "." + group);
    }
  }

  private AccessCheck() {}

  /**
   * The accesses of {@code needed} the API server refuses in {@code namespaces} (empty: in all
   * namespaces at once, as a cluster-wide informer asks), e.g. {@code watch pods in all
   * namespaces}; empty when it refuses none. Only a refusal counts: when a review gets no answer
   * (an API server that does not evaluate them, such as fabric8's mock server, or none at all), the
   * check is skipped.
   */
  public static List<String> refused(
      KubernetesClient client, List<Access> needed, Set<String> namespaces) {
    List<String> refused = new ArrayList<>();
    List<String> scopes =
        namespaces.isEmpty() ? List.of("") : List.copyOf(new TreeSet<>(namespaces));
    for (Access access : needed) {
      for (String namespace : scopes) {
        Boolean allowed = allowed(client, access, namespace);
        if (allowed == null) {
          return List.of();
        }
        if (!allowed) {
          refused.add(
              access + (namespace.isEmpty() ? " in all namespaces" : " in namespace " + namespace));
        }
      }
    }
    return refused;
  }

  /** True or false as the authorizer answers; null when nobody evaluated the review. */
  private static Boolean allowed(KubernetesClient client, Access access, String namespace) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withVerb(access.verb())
            .withGroup(access.group())
            .withResource(access.resource())
            .withNamespace(namespace)
            .endResourceAttributes()
            .endSpec()
            .build();
    SelfSubjectAccessReview answer;
    try {
      answer = client.resource(review).create();
    } catch (KubernetesClientException e) {
      // No answer is no refusal: what the operator does next fails in its own words if it must.
      LOG.info(
          "could not check this account's access ({}): {}",
          e.getCode() > 0 ? "HTTP " + e.getCode() : "no answer",
          SafeText.of(String.valueOf(e.getMessage())));
      return null;
    }
    if (answer == null || answer.getStatus() == null) {
      return null;
    }
    return Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }
}
