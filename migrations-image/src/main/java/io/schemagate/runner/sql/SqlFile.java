package io.schemagate.runner.sql;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Migration files as text: UTF-8, strictly. */
public final class SqlFile {
  private SqlFile() {}

  /**
   * Opens {@code file} for reading as UTF-8 that must be valid: a malformed byte fails the read
   * (MalformedInputException) rather than becoming a replacement character, which would change what
   * runs and its checksum.
   */
  public static Reader open(Path file) throws IOException {
    return new InputStreamReader(
        Files.newInputStream(file),
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }
}
