package io.schemagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Where and when the numbers were taken: date, cores, CPU, memory. */
final class MachineDescription {

  private MachineDescription() {}

  /** Same shape as {@code date -u}. */
  static String dateUtc() {
    return ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT));
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String cpuModel() {
    return procLine(Paths.get("/proc/cpuinfo"), "model name").orElse("unknown CPU");
  }

  static String memory() {
    return procLine(Paths.get("/proc/meminfo"), "MemTotal")
        .map(
            kb -> {
              long kilobytes = Long.parseLong(kb.replaceAll("[^0-9]", ""));
              return String.format(Locale.ROOT, "%.1f GiB", kilobytes / 1024.0 / 1024.0);
            })
        .orElse("unknown");
  }

  /** The 1, 5 and 15 minute load averages: on a shared machine they say how quiet it was. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  private static java.util.Optional<String> procLine(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.stream()
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
