package io.schemagate.runner.sql;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * The text a {@link SqlLexer} reads, loaded from a {@link Reader} as the lexer asks for it and
 * dropped once the lexer has moved past it, so a script of any size needs memory only for the token
 * in hand (and the reading chunk). Positions are offsets into the whole text.
 */
final class SqlSource {
  private static final int CHUNK = 64 * 1024;

  private Reader reader;
  private char[] buf;

  /** The position of {@code buf[0]}. */
  private int base;

  /** The position just past the last loaded character. */
  private int limit;

  /** Characters before this position may be dropped. */
  private int keep;

  /** The whole text at once. */
  SqlSource(String text) {
    this.buf = text.toCharArray();
    this.limit = buf.length;
  }

  /** Text read from {@code reader} as needed; read errors surface as UncheckedIOException. */
  SqlSource(Reader reader) {
    this.reader = reader;
    this.buf = new char[CHUNK];
  }

  /** Whether the text has a character at {@code pos}, loading up to it if needed. */
  boolean has(int pos) {
    return pos < limit || (reader != null && load(pos));
  }

  /** The character at {@code pos}; {@link #has} must have said there is one. */
  char at(int pos) {
    return buf[pos - base];
  }

  /** The character at {@code pos}, or {@code '\0'} past the end. */
  char atOrNul(int pos) {
    return has(pos) ? buf[pos - base] : '\0';
  }

  boolean startsWith(String s, int pos) {
    if (!has(pos + s.length() - 1)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[pos + i - base] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The position of the first {@code c} at or after {@code from}, or -1. */
  int indexOf(char c, int from) {
    for (int i = from; has(i); i++) {
      if (buf[i - base] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The position of the first {@code s} at or after {@code from}, or -1. */
  int indexOf(String s, int from) {
    char first = s.charAt(0);
    for (int i = indexOf(first, from); i >= 0; i = indexOf(first, i + 1)) {
      if (startsWith(s, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The text in {@code [from, to)}, which must be loaded and not released. */
  String text(int from, int to) {
    return new String(buf, from - base, to - from);
  }

  /** The lexer will not look before {@code pos} again. */
  void release(int pos) {
    keep = Math.max(keep, pos);
  }

  private boolean load(int pos) {
    try {
      while (pos >= limit) {
        if (limit - base == buf.length) {
          makeRoom();
        }
        int n = reader.read(buf, limit - base, buf.length - (limit - base));
        if (n < 0) {
          reader = null;
          return false;
        }
        limit += n;
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops what was released, and grows the buffer when what is kept fills most of it. */
  private void makeRoom() {
    int kept = limit - keep;
    char[] target = kept > buf.length / 2 ? new char[buf.length * 2] : buf;
    System.arraycopy(buf, keep - base, target, 0, kept);
    buf = target;
    base = keep;
  }
}
