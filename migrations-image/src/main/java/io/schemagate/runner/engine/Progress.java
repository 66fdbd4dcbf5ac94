package io.schemagate.runner.engine;

import java.io.PrintStream;

/** Human progress lines on stderr; stdout is reserved for the command's result. */
public final class Progress {
  private final PrintStream out;

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }
}
