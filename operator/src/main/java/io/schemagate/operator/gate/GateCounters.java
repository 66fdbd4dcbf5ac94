package io.schemagate.operator.gate;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often the gate held, released and was bypassed, per SchemaMigration, since the operator
 * started: counted when the API server accepted the change (a hold placed by the reconciler or
 * stored at admission, a release), never for a dry run. The metrics read them from here.
 */
public final class GateCounters {
  /** What happened to a Deployment's rollout. */
  public enum Kind {
    /** A hold was placed: by the reconciler, or by the webhook at admission. */
    HELD,
    /** A hold schemagate placed was ended (also when a bypass ended it). */
    RELEASED,
    /** {@code schemagate.io/bypass} let a Deployment through a gate that was shut. */
    BYPASSED
  }

  /** One counter: a kind, for the SchemaMigration {@code namespace/migration}. */
  public record Key(String namespace, String migration, Kind kind) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = namespace.compareTo(o.namespace);
      if (c == 0) {
        c = migration.compareTo(o.migration);
      }
      return c == 0 ? kind.compareTo(o.kind) : c;
    }
  }

  private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

  void add(Kind kind, String namespace, String migration) {
    counts
        .computeIfAbsent(
            new Key(String.valueOf(namespace), String.valueOf(migration), kind),
            k -> new AtomicLong())
        .incrementAndGet();
  }

  /** The count of one kind for one SchemaMigration (0 when it never happened). */
  public long count(Kind kind, String namespace, String migration) {
    AtomicLong n = counts.get(new Key(namespace, migration, kind));
    return n == null ? 0 : n.get();
  }

  /** Every counter so far, in a stable order. */
  public Map<Key, Long> snapshot() {
    Map<Key, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
