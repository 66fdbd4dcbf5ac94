package io.schemagate.bench;

/** The smallest Java program: the JVM start-up reference line in the report. */
public final class HelloWorld {

  private HelloWorld() {}

  /** Prints one line and exits. */
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
