package io.schemagate.runner.engine;

import io.schemagate.runner.Reason;
import io.schemagate.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The migration files of one location, read once: versioned migrations in version order (never name
 * order: {@code V10} follows {@code V9}), their undo scripts by version, and repeatable migrations
 * in description order, as Flyway applies them.
 */
public final class MigrationBundle {
  private final Path location;
  private final List<MigrationScript> versioned;
  private final Map<MigrationVersion, MigrationScript> undo;
  private final List<MigrationScript> repeatable;
  private final List<String> duplicates;

  private MigrationBundle(
      Path location,
      List<MigrationScript> versioned,
      Map<MigrationVersion, MigrationScript> undo,
      List<MigrationScript> repeatable,
      List<String> duplicates) {
    this.location = location;
    this.versioned = versioned;
    this.undo = undo;
    this.repeatable = repeatable;
    this.duplicates = duplicates;
  }

  /**
   * A bundle without files, for reading a history table alone: with it, {@link SchemaState} still
   * gives the current revision exactly as {@code info} computes it.
   */
  public static MigrationBundle none() {
    return new MigrationBundle(null, List.of(), Map.of(), List.of(), List.of());
  }

  /**
   * Reads every {@code .sql} migration below {@code location}.
   *
   * @throws RunnerException ConfigurationInvalid when the folder is missing, a name is malformed or
   *     a file is not UTF-8
   */
  public static MigrationBundle read(Path location) {
    if (!Files.isDirectory(location)) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, "migration location " + location + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(location)) {
      files =
          walk.filter(p -> p.getFileName().toString().endsWith(".sql"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (NoSuchFileException e) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, "migration location " + location + " does not exist");
    } catch (IOException e) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, "cannot read migration location " + location + ": " + e);
    }
    List<MigrationScript> versioned = new ArrayList<>();
    Map<MigrationVersion, MigrationScript> undo = new HashMap<>();
    List<MigrationScript> repeatable = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    Map<MigrationVersion, MigrationScript> seenVersions = new HashMap<>();
    Map<String, MigrationScript> seenRepeatables = new HashMap<>();
    for (Path file : files) {
      Optional<MigrationFileName> parsed;
      try {
        parsed = MigrationFileName.parse(file.getFileName().toString());
      } catch (IllegalArgumentException e) {
        throw new RunnerException(Reason.ConfigurationInvalid, e.getMessage());
      }
      if (parsed.isEmpty()) {
        continue;
      }
      MigrationScript script = load(location, file, parsed.get());
      switch (script.kind()) {
        case VERSIONED -> {
          MigrationScript previous = seenVersions.putIfAbsent(script.version(), script);
          if (previous != null) {
            duplicates.add(
                "version "
                    + script.versionText()
                    + " is defined twice: "
                    + previous.script()
                    + " and "
                    + script.script());
          } else {
            versioned.add(script);
          }
        }
        case UNDO -> {
          MigrationScript previous = undo.putIfAbsent(script.version(), script);
          if (previous != null) {
            duplicates.add(
                "undo version "
                    + script.versionText()
                    + " is defined twice: "
                    + previous.script()
                    + " and "
                    + script.script());
          }
        }
        case REPEATABLE -> {
          MigrationScript previous = seenRepeatables.putIfAbsent(script.description(), script);
          if (previous != null) {
            duplicates.add(
                "repeatable migration '"
                    + script.description()
                    + "' is defined twice: "
                    + previous.script()
                    + " and "
                    + script.script());
          } else {
            repeatable.add(script);
          }
        }
      }
    }
    versioned.sort(Comparator.comparing(MigrationScript::version));
    repeatable.sort(Comparator.comparing(MigrationScript::description));
    return new MigrationBundle(
        location, List.copyOf(versioned), Map.copyOf(undo), List.copyOf(repeatable), duplicates);
  }

  private static MigrationScript load(Path location, Path file, MigrationFileName name) {
    String script = location.relativize(file).toString().replace('\\', '/');
    try {
      return new MigrationScript(name, script, file, Files.size(file), FlywayChecksum.of(file));
    } catch (CharacterCodingException e) {
      throw new RunnerException(
          Reason.ConfigurationInvalid, location.relativize(file) + " is not valid UTF-8");
    } catch (IOException e) {
      throw new RunnerException(Reason.ConfigurationInvalid, "cannot read " + file + ": " + e);
    }
  }

  public Path location() {
    return location;
  }

  /** Versioned migrations, in version order. */
  public List<MigrationScript> versioned() {
    return versioned;
  }

  /** Repeatable migrations, in description order. */
  public List<MigrationScript> repeatable() {
    return repeatable;
  }

  public Optional<MigrationScript> undoFor(MigrationVersion version) {
    return Optional.ofNullable(undo.get(version));
  }

  /** Messages naming duplicate versions or repeatable descriptions; empty when there are none. */
  public List<String> duplicates() {
    return duplicates;
  }

  /** The highest versioned migration, or null for a bundle without versioned migrations. */
  public MigrationScript head() {
    return versioned.isEmpty() ? null : versioned.get(versioned.size() - 1);
  }
}
