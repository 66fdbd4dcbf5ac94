package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.schemagate.api.SchemaGateApi;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        .filter(d -> paused(d) && name.equals(pausedBy(d)))
        .map(d -> d.getMetadata().getName())
        .sorted()
        .distinct()
        .limit(MAX)
        .toList();
  }

  /** The SchemaMigration a Deployment's gate label names, or null (no label, or a blank one). */
  public static String gate(HasMetadata d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(SchemaGateApi.GATE_LABEL);
    return name == null || name.isBlank() ? null : name;
  }

  /** The value of a Deployment's {@code schemagate.io/paused-by} annotation, or null. */
  public static String pausedBy(HasMetadata d) {
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(SchemaGateApi.PAUSED_BY_ANNOTATION);
  }

  /** Whether a Deployment's {@code spec.paused} is true. */
  public static boolean paused(Deployment d) {
    return d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused());
  }

  /**
   * The SchemaMigrations (in its namespace) a Deployment concerns: the one its gate label names and
   * the one whose hold it carries, when they differ (the label was changed while held).
   */
  public static Set<String> migrations(HasMetadata d) {
    Set<String> names = new LinkedHashSet<>();
    String gate = gate(d);
    if (gate != null) {
      names.add(gate);
    }
    String holder = pausedBy(d);
    if (holder != null && !holder.isBlank()) {
      names.add(holder);
    }
    return names;
  }
}
