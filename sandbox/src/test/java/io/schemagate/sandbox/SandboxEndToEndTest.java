package io.schemagate.sandbox;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every scenario of {@link SandboxScenarios} on fabric8's mock API server, with the stand-ins for
 * the kubelet and the Job controller: the fast path, and the one {@code make demo} runs.
 */
class SandboxEndToEndTest extends SandboxScenarios {
  @BeforeAll
  static void start() throws Exception {
    startWith(b -> {});
  }
}
