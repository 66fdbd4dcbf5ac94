package io.schemagate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build step after the CRD generator: puts the printer columns in the order SchemaMigration
 * declares them.
 *
 * <p>crd-generator 7.5.2 sorts columns by JSON path, which would print Age first and Reason before
 * Ready, and offers no post-processor to the Maven plugin. Only the order of the column entries
 * changes; every line stays as the generator wrote it.
 */
public final class PrinterColumnOrder {
  private static final Pattern NAME = Pattern.compile("^\\s*(?:- )?name: \"([^\"]+)\"$");

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path crd = Path.of(args[0]);
    Files.writeString(crd, reorder(Files.readString(crd), declaredOrder()));
  }

  static List<String> declaredOrder() {
    return Stream.of(SchemaMigration.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }

  static String reorder(String yaml, List<String> order) {
    List<String> lines = yaml.lines().toList();
    int start = 0;
    while (start < lines.size() && !lines.get(start).trim().equals("- additionalPrinterColumns:")) {
      start++;
    }
    if (start == lines.size()) {
      throw new IllegalStateException("the CRD has no additionalPrinterColumns");
    }
    start++;
    String entryStart = lines.get(start).substring(0, lines.get(start).indexOf('-')) + "- ";
    String continuation = " ".repeat(entryStart.length());
    List<List<String>> entries = new ArrayList<>();
    int end = start;
    while (end < lines.size()
        && (lines.get(end).startsWith(entryStart) || lines.get(end).startsWith(continuation))) {
      if (lines.get(end).startsWith(entryStart)) {
        entries.add(new ArrayList<>());
      }
      entries.get(entries.size() - 1).add(lines.get(end));
      end++;
    }
    if (entries.size() != order.size()) {
      throw new IllegalStateException(
          "the CRD has " + entries.size() + " printer columns, the type declares " + order);
    }
    entries.sort(Comparator.comparingInt(entry -> position(entry, order)));

    List<String> result = new ArrayList<>(lines.subList(0, start));
    entries.forEach(result::addAll);
    result.addAll(lines.subList(end, lines.size()));
    return String.join("\n", result) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static int position(List<String> entry, List<String> order) {
    for (String line : entry) {
      Matcher m = NAME.matcher(line);
      if (m.matches() && order.contains(m.group(1))) {
        return order.indexOf(m.group(1));
      }
    }
    throw new IllegalStateException("printer column not declared on SchemaMigration: " + entry);
  }
}
