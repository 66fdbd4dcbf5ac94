package io.schemagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Whether the runner jar exists and has its entry point yet (its migrate is written in parallel).
 */
final class RunnerJar {

  private RunnerJar() {}

  /** Why the runner must be skipped, or empty if it can be measured. */
  static Optional<String> whyUnavailable(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return Optional.of(
          jar + " does not exist (build it: mvn -q -B package -DskipTests -pl migrations-image)");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String mainClass =
          manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      if (mainClass == null) {
        return Optional.of(jar + " has no Main-Class");
      }
      String entry = mainClass.replace('.', '/') + ".class";
      if (file.getEntry(entry) == null) {
        return Optional.of(
            jar
                + " names Main-Class "
                + mainClass
                + " but does not contain it (migrate not merged yet?)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(jar + " cannot be read: " + e.getMessage());
    }
  }
}
