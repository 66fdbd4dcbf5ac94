package io.schemagate.bench;

import java.util.Locale;

/** One line of the targets table: a measured value against its limit, never asserted. */
record TargetVerdict(String measure, Double value, String unit, Double limit) {

  String valueText() {
    if (value == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f%s", value, unit);
  }

  String limitText() {
    return limit == null ? "—" : String.format(Locale.ROOT, "≤ %.1f%s", limit, unit);
  }

  String verdict() {
    if (value == null) {
      return "not measured";
    }
    if (limit == null) {
      return "(info)";
    }
    return value <= limit ? "PASS" : "MISS";
  }
}
