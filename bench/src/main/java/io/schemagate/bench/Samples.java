package io.schemagate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Wall times of repeated runs of one measurement. */
final class Samples {

  private final List<Long> nanos = new ArrayList<>();

  void add(long elapsedNanos) {
    nanos.add(elapsedNanos);
  }

  boolean isEmpty() {
    return nanos.isEmpty();
  }

  int size() {
    return nanos.size();
  }

  double medianSeconds() {
    List<Long> sorted = sorted();
    int middle = sorted.size() / 2;
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(middle)
            : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    return median / 1e9;
  }

  double minSeconds() {
    return sorted().get(0) / 1e9;
  }

  double maxSeconds() {
    return sorted().get(nanos.size() - 1) / 1e9;
  }

  /** "1.23 s (1.10–1.40)", or "—" when nothing was measured. */
  String format() {
    if (isEmpty()) {
      return "—";
    }
    if (nanos.size() == 1) {
      return String.format(Locale.ROOT, "%.2f s (1 run)", medianSeconds());
    }
    return String.format(
        Locale.ROOT, "%.2f s (%.2f–%.2f)", medianSeconds(), minSeconds(), maxSeconds());
  }

  private List<Long> sorted() {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted;
  }
}
