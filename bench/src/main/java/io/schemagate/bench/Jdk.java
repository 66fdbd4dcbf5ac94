package io.schemagate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JDK the bench starts child processes with, and the version it reports. */
record Jdk(Path java, String versionLine, int major) {

  private static final Pattern VERSION = Pattern.compile("version \"(\\d+)");

  /** The JDK at {@code home}, if it has a runnable bin/java. */
  static Optional<Jdk> at(Path home) {
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      return Optional.empty();
    }
    String output = CommandLine.run(List.of(java.toString(), "-version"));
    String firstLine = output.lines().findFirst().orElse("");
    Matcher matcher = VERSION.matcher(firstLine);
    int major = matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    String runtimeLine = output.lines().skip(1).findFirst().orElse(firstLine);
    return Optional.of(new Jdk(java, runtimeLine.trim(), major));
  }

  String label() {
    return "Java " + major;
  }
}
