package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.schemagate.api.SchemaGateApi;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The Deployments a SchemaMigration currently holds, read from the Deployments themselves (the API
 * server's copy in the informer's cache): paused, with {@code schemagate.io/paused-by} naming it.
 * What {@code status.gatedDeployments} and the condition {@code DeploymentsGated} show.
 */
public final class HeldDeployments {
  /** The most names {@code status.gatedDeployments} lists (the CRD's bound). */
  public static final int MAX = 100;

  private HeldDeployments() {}

  /** Names of the Deployments among {@code deployments} held by SchemaMigration {@code name}. */
  public static List<String> of(String name, Collection<Deployment> deployments) {
    return deployments.stream()
        .filter(d -> d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused()))
        .filter(
            d -> {
              Map<String, String> a = d.getMetadata().getAnnotations();
              return a != null && name.equals(a.get(SchemaGateApi.PAUSED_BY_ANNOTATION));
            })
        .map(d -> d.getMetadata().getName())
        .sorted()
        .distinct()
        .limit(MAX)
        .toList();
  }
}
