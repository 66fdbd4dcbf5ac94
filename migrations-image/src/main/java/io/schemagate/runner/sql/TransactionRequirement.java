package io.schemagate.runner.sql;

import java.util.List;
import java.util.Locale;

/**
 * Whether a statement can run inside a transaction block, on PostgreSQL 12 or later.
 *
 * <p>Transaction control ({@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code END},
 * {@code ROLLBACK} without {@code TO}, {@code ABORT}, {@code PREPARE TRANSACTION}, {@code COMMIT
 * PREPARED}, {@code ROLLBACK PREPARED}) is its own kind: inside the transaction the runner opens
 * for a migration it would end that transaction early and break the migration's atomicity, so such
 * statements count as not transactional. {@code SAVEPOINT}, {@code RELEASE} and {@code ROLLBACK TO}
 * work within a transaction and count as transactional.
 */
public enum TransactionRequirement {
  /** Runs inside the migration's transaction. */
  TRANSACTIONAL,
  /** PostgreSQL refuses it inside a transaction block; it needs autocommit. */
  NON_TRANSACTIONAL,
  /** Begins or ends a transaction itself. */
  TRANSACTION_CONTROL;

  /** Classifies one statement from its tokens (comments and whitespace are ignored). */
  public static TransactionRequirement of(List<SqlToken> tokens) {
    List<String> words =
        tokens.stream()
            .filter(SqlToken::significant)
            .map(t -> t.type() == SqlToken.Type.WORD ? t.text().toUpperCase(Locale.ROOT) : t.text())
            .toList();
    if (words.isEmpty()) {
      return TRANSACTIONAL;
    }
    if (isTransactionControl(words)) {
      return TRANSACTION_CONTROL;
    }
    return refusedInTransaction(words) ? NON_TRANSACTIONAL : TRANSACTIONAL;
  }

  private static boolean isTransactionControl(List<String> w) {
    return switch (w.get(0)) {
      case "BEGIN", "COMMIT", "END", "ABORT" -> true;
      case "START" -> at(w, 1).equals("TRANSACTION");
      case "ROLLBACK" -> !at(w, 1).equals("TO") && !at(w, 2).equals("TO");
      case "PREPARE" -> at(w, 1).equals("TRANSACTION");
      default -> false;
    };
  }

  private static boolean refusedInTransaction(List<String> w) {
    String first = w.get(0);
    String second = at(w, 1);
    return switch (first) {
      case "CREATE" -> {
        int index = second.equals("UNIQUE") ? 2 : 1;
        yield (at(w, index).equals("INDEX") && at(w, index + 1).equals("CONCURRENTLY"))
            || isOneOf(second, "DATABASE", "TABLESPACE", "SUBSCRIPTION");
      }
      case "DROP" ->
          (second.equals("INDEX") && at(w, 2).equals("CONCURRENTLY"))
              || isOneOf(second, "DATABASE", "TABLESPACE", "SUBSCRIPTION");
      case "ALTER" ->
          isOneOf(second, "SYSTEM", "SUBSCRIPTION")
              || (second.equals("DATABASE") && containsSequence(w, "SET", "TABLESPACE"))
              || (second.equals("TABLE") && detachesConcurrently(w));
      case "REINDEX" -> w.contains("CONCURRENTLY") || reindexesManyTables(w);
      case "VACUUM" -> true;
      case "CLUSTER" -> clustersEverything(w);
      case "DISCARD" -> second.equals("ALL");
      default -> false;
    };
  }

  private static boolean detachesConcurrently(List<String> w) {
    int detach = w.indexOf("DETACH");
    return detach >= 0 && w.subList(detach, w.size()).contains("CONCURRENTLY");
  }

  /** {@code REINDEX [(options)] SCHEMA|DATABASE|SYSTEM ...} commits per table. */
  private static boolean reindexesManyTables(List<String> w) {
    int kind = afterOptionList(w, 1);
    return isOneOf(at(w, kind), "SCHEMA", "DATABASE", "SYSTEM");
  }

  /** {@code CLUSTER} with no table re-clusters every table, one transaction each. */
  private static boolean clustersEverything(List<String> w) {
    int rest = afterOptionList(w, 1);
    if (at(w, rest).equals("VERBOSE")) {
      rest++;
    }
    return rest >= w.size();
  }

  private static int afterOptionList(List<String> w, int from) {
    if (!at(w, from).equals("(")) {
      return from;
    }
    int close = w.subList(from, w.size()).indexOf(")");
    return close < 0 ? w.size() : from + close + 1;
  }

  private static boolean containsSequence(List<String> w, String a, String b) {
    for (int i = 0; i + 1 < w.size(); i++) {
      if (w.get(i).equals(a) && w.get(i + 1).equals(b)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOneOf(String word, String... candidates) {
    return List.of(candidates).contains(word);
  }

  private static String at(List<String> w, int i) {
    return i < w.size() ? w.get(i) : "";
  }
}
