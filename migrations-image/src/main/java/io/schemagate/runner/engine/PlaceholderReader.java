package io.schemagate.runner.engine;

import java.io.IOException;
import java.io.Reader;
import java.util.Map;

/**
 * A script's text with its placeholder references replaced as it is read, chunk by chunk, so a
 * large script is never held whole. A chunk that ends inside a possible reference keeps that tail
 * for the next one.
 */
final class PlaceholderReader extends Reader {
  private static final int CHUNK = 16 * 1024;

  private final Reader in;
  private final Placeholders placeholders;
  private final String script;
  private final Map<String, String> builtIns;
  private final char[] buf = new char[CHUNK];
  private final StringBuilder pending = new StringBuilder();
  private String out = "";
  private int outPos;

  /** The line of the first character in {@code pending}. */
  private int line = 1;

  private boolean eof;

  PlaceholderReader(
      Reader in, Placeholders placeholders, String script, Map<String, String> builtIns) {
    this.in = in;
    this.placeholders = placeholders;
    this.script = script;
    this.builtIns = builtIns;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    while (outPos == out.length()) {
      if (eof && pending.length() == 0) {
        return -1;
      }
      refill();
    }
    int n = Math.min(len, out.length() - outPos);
    out.getChars(outPos, outPos + n, cbuf, off);
    outPos += n;
    return n;
  }

  private void refill() throws IOException {
    int n = in.read(buf);
    if (n < 0) {
      eof = true;
    } else {
      pending.append(buf, 0, n);
    }
    int complete = eof ? pending.length() : Placeholders.completeUpTo(pending);
    String chunk = pending.substring(0, complete);
    pending.delete(0, complete);
    out = placeholders.replace(chunk, line, script, builtIns);
    outPos = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.charAt(i) == '\n') {
        line++;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
