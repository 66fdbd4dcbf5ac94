package io.schemagate.runner.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The checksum Flyway stores for a SQL migration: CRC-32 over the UTF-8 bytes of each line without
 * its line break (so it ignores line-ending style), with a leading byte-order mark removed. It must
 * match Flyway's bit for bit, or stock Flyway would reject databases the runner migrated.
 *
 * <p>Line by line, CRC-32 over the lines is CRC-32 over the file's bytes with every CR and LF left
 * out (in UTF-8 neither byte occurs inside a multi-byte character), so a file is checksummed as its
 * bytes stream by, in constant memory, without decoding it into lines.
 */
public final class FlywayChecksum {
  private static final int CHUNK = 64 * 1024;
  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private FlywayChecksum() {}

  public static int of(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    update(crc, bytes, bomLength(bytes, bytes.length), bytes.length);
    return (int) crc.getValue();
  }

  /**
   * The checksum of a migration file, which must be valid UTF-8: Flyway reads it as text, so a
   * malformed byte would give it a checksum other than its bytes'.
   *
   * @throws CharacterCodingException when the file is not valid UTF-8
   */
  public static int of(Path file) throws IOException {
    CRC32 crc = new CRC32();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // Most migrations are a few hundred bytes: buffers sized to the file spare the allocations.
    int size = (int) Math.min(CHUNK, Math.max(16, Files.size(file)));
    byte[] chunk = new byte[size];
    ByteBuffer undecoded = ByteBuffer.allocate(size + 8);
    CharBuffer scratch = CharBuffer.allocate(size + 8);
    boolean first = true;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.readNBytes(chunk, 0, size)) > 0) {
        update(crc, chunk, first ? bomLength(chunk, n) : 0, n);
        first = false;
        undecoded.put(chunk, 0, n).flip();
        check(utf8.decode(undecoded, scratch.clear(), false));
        undecoded.compact();
      }
    }
    undecoded.flip();
    check(utf8.decode(undecoded, scratch.clear(), true));
    check(utf8.flush(scratch.clear()));
    return (int) crc.getValue();
  }

  private static void check(CoderResult result) throws CharacterCodingException {
    if (result.isError()) {
      result.throwException();
    }
  }

  private static int bomLength(byte[] bytes, int length) {
    return length >= 3
            && bytes[0] == BYTE_ORDER_MARK[0]
            && bytes[1] == BYTE_ORDER_MARK[1]
            && bytes[2] == BYTE_ORDER_MARK[2]
        ? 3
        : 0;
  }

  /** Adds {@code bytes[from, to)} to the checksum, leaving out every CR and LF. */
  private static void update(CRC32 crc, byte[] bytes, int from, int to) {
    int run = from;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        crc.update(bytes, run, i - run);
        run = i + 1;
      }
    }
    crc.update(bytes, run, to - run);
  }
}
