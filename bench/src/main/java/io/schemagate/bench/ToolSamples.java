package io.schemagate.bench;

/** The apply and no-op times of one tool. */
record ToolSamples(MigrationTool tool, Samples apply, Samples noop) {

  ToolSamples(MigrationTool tool) {
    this(tool, new Samples(), new Samples());
  }
}
