package io.schemagate.sandbox.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sandbox's stand-in for an image registry: each bundle image reference maps to local folders
 * of migrations ({@code --bundle IMAGE=DIR[:DIR...]}), which the runner reads as it would read
 * {@code /migrations} in the image. Several folders are the image's layers, as a bundle built
 * {@code FROM} an earlier bundle image has them: the first is the bottom layer, and a file of a
 * later folder replaces the file of the same relative path of an earlier one.
 */
public final class BundleImages {
  /** The separator of the folders of one image: {@code IMAGE=DIR[:DIR...]}. */
  public static final char LAYER_SEPARATOR = ':';

  private final Map<String, List<Path>> layers = new LinkedHashMap<>();

  /** Parses {@code IMAGE=DIR[:DIR...]}; every folder must exist. */
  public void add(String mapping) {
    int eq = mapping.lastIndexOf('=');
    if (eq <= 0 || eq == mapping.length() - 1) {
      throw new IllegalArgumentException("--bundle takes IMAGE=DIR[:DIR...], got: " + mapping);
    }
    List<Path> dirs = new ArrayList<>();
    for (String part : mapping.substring(eq + 1).split(String.valueOf(LAYER_SEPARATOR), -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "--bundle " + mapping + ": an empty folder in DIR[:DIR...]");
      }
      Path dir = Path.of(part).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--bundle " + mapping + ": no folder " + dir);
      }
      dirs.add(dir);
    }
    layers.put(mapping.substring(0, eq), List.copyOf(dirs));
  }

  /** Serves {@code image} from {@code dirs}, bottom layer first. */
  public void add(String image, Path... dirs) {
    if (dirs.length == 0) {
      throw new IllegalArgumentException("an image needs at least one folder: " + image);
    }
    layers.put(image, Stream.of(dirs).map(d -> d.toAbsolutePath().normalize()).toList());
  }

  /** The folders of an image, bottom layer first, or empty: the sandbox's "image not found". */
  public Optional<List<Path>> layers(String image) {
    return Optional.ofNullable(layers.get(image));
  }

  /**
   * The folder the runner reads for an image, or empty when it is not served: its one folder as it
   * is, or, for an image of several, {@code into} filled with their files, each layer copied over
   * the ones below it (what the image's {@code /migrations} holds). Copied when asked for, as an
   * image is pulled when a pod starts.
   */
  public Optional<Path> folder(String image, Path into) {
    List<Path> dirs = layers.get(image);
    if (dirs == null) {
      return Optional.empty();
    }
    if (dirs.size() == 1) {
      return Optional.of(dirs.get(0));
    }
    try {
      Files.createDirectories(into);
      for (Path dir : dirs) {
        copyOver(dir, into);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot assemble the folders of " + image, e);
    }
    return Optional.of(into);
  }

  private static void copyOver(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
