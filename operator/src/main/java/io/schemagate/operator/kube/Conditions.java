package io.schemagate.operator.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The kstatus conditions of a SchemaMigration, one per type: {@code lastTransitionTime} moves only
 * when a condition's status flips, so an unchanged resource writes an unchanged status.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String DEPLOYMENTS_GATED = "DeploymentsGated";

  private static final List<String> ORDER = List.of(READY, RECONCILING, STALLED, DEPLOYMENTS_GATED);

  private Conditions() {}

  /** One condition as a decision sets it: type, status, reason and message. */
  public record State(String type, boolean status, String reason, String message) {
    public State {
      message = message == null ? "" : message;
    }
  }

  /**
   * The conditions with {@code state} set, stamped with the generation it observed; the others are
   * kept as they are. Its {@code lastTransitionTime} is {@code now} only when its status flips.
   */
  public static List<Condition> set(
      List<Condition> existing, State state, long observedGeneration, Instant now) {
    Condition previous = find(existing, state.type());
    String value = state.status() ? "True" : "False";
    String transition =
        previous != null && value.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    Condition next =
        new ConditionBuilder()
            .withType(state.type())
            .withStatus(value)
            .withReason(state.reason())
            .withMessage(state.message())
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    List<Condition> out = new ArrayList<>();
    for (Condition c : existing == null ? List.<Condition>of() : existing) {
      if (!state.type().equals(c.getType())) {
        out.add(c);
      }
    }
    out.add(next);
    out.sort(Comparator.comparingInt(c -> rank(c.getType())));
    return out;
  }

  /** The condition of a type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition c : conditions) {
      if (Objects.equals(type, c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** Whether the condition of a type is present with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && "True".equals(c.getStatus());
  }

  private static int rank(String type) {
    int i = ORDER.indexOf(type);
    return i < 0 ? ORDER.size() : i;
  }
}
