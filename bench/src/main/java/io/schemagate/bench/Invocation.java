package io.schemagate.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One whole-process command to time: arguments, extra environment, working folder. */
record Invocation(List<String> command, Map<String, String> environment, Path workDir) {}
