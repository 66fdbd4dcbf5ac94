package io.schemagate.runner.lint;

/** How serious a lint finding is: errors fail {@code lint}, warnings only inform. */
public enum Severity {
  ERROR,
  WARNING
}
