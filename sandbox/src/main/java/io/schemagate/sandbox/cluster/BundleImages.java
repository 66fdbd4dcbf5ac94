package io.schemagate.sandbox.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's stand-in for an image registry: each bundle image reference maps to a local folder
 * of migrations ({@code --bundle IMAGE=DIR}), which the runner reads as it would read {@code
 * /migrations} in the image.
 */
public final class BundleImages {
  private final Map<String, Path> folders = new LinkedHashMap<>();

  /** Parses {@code IMAGE=DIR}; the folder must exist. */
  public void add(String mapping) {
    int eq = mapping.lastIndexOf('=');
    if (eq <= 0 || eq == mapping.length() - 1) {
      throw new IllegalArgumentException("--bundle takes IMAGE=DIR, got: " + mapping);
    }
    Path dir = Path.of(mapping.substring(eq + 1)).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--bundle " + mapping + ": no folder " + dir);
    }
    folders.put(mapping.substring(0, eq), dir);
  }

  public void add(String image, Path dir) {
    folders.put(image, dir.toAbsolutePath().normalize());
  }

  /** The folder of an image, or empty: the sandbox's "image not found". */
  public Optional<Path> folder(String image) {
    return Optional.ofNullable(folders.get(image));
  }
}
