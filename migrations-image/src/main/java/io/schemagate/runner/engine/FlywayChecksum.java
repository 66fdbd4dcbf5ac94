package io.schemagate.runner.engine;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum Flyway stores for a SQL migration: CRC-32 over the UTF-8 bytes of each line without
 * its line break (so it ignores line-ending style), with a leading byte-order mark removed. It must
 * match Flyway's bit for bit, or stock Flyway would reject databases the runner migrated.
 */
public final class FlywayChecksum {
  private FlywayChecksum() {}

  public static int of(String text) {
    CRC32 crc = new CRC32();
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    int n = text.length();
    int i = start;
    while (i < n) {
      int end = i;
      while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      crc.update(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
      if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
        end++;
      }
      i = end + 1;
    }
    return (int) crc.getValue();
  }
}
