package io.schemagate.runner.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/** The differences between two catalog snapshots, one readable line per differing entry. */
public final class CatalogDiff {
  /** How much of a definition a line shows; function bodies can be pages long. */
  static final int MAX_DEFINITION_CHARS = 200;

  /** How much unchanged text to keep before the first difference, for orientation. */
  private static final int CONTEXT_CHARS = 40;

  private CatalogDiff() {}

  /**
   * Lists what differs, sorted by entry key: {@code missing after re-apply: <key>} for an entry
   * only in {@code expected}, {@code unexpected: <key>} for one only in {@code actual}, and {@code
   * changed: <key>: '<expected>' → '<actual>'} with both definitions shortened to about {@value
   * #MAX_DEFINITION_CHARS} characters around the first difference. Empty when the snapshots are
   * identical.
   */
  public static List<String> compare(CatalogSnapshot expected, CatalogSnapshot actual) {
    SortedMap<String, String> before = expected.entries();
    SortedMap<String, String> after = actual.entries();
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> lines = new ArrayList<>();
    for (String key : keys) {
      String was = before.get(key);
      String is = after.get(key);
      if (is == null) {
        lines.add("missing after re-apply: " + key);
      } else if (was == null) {
        lines.add("unexpected: " + key);
      } else if (!was.equals(is)) {
        int from = firstDifference(was, is);
        lines.add(
            "changed: " + key + ": '" + excerpt(was, from) + "' → '" + excerpt(is, from) + "'");
      }
    }
    return lines;
  }

  private static int firstDifference(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /**
   * A one-line excerpt of {@code text}: from a little before {@code difference} when the common
   * beginning alone would fill the excerpt, at most {@link #MAX_DEFINITION_CHARS} characters.
   */
  static String excerpt(String text, int difference) {
    int start = 0;
    if (difference > MAX_DEFINITION_CHARS - CONTEXT_CHARS) {
      start = Math.max(0, Math.min(difference - CONTEXT_CHARS, text.length()));
    }
    int end = Math.min(text.length(), start + MAX_DEFINITION_CHARS);
    // Keep the line a line; a function body's line breaks become visible \n.
    String body =
        text.substring(start, end).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    return (start > 0 ? "…" : "") + body + (end < text.length() ? "…" : "");
  }
}
