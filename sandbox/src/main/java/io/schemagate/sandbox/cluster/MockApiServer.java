package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process Kubernetes API of the sandbox and the operator benchmark: fabric8's mock server in
 * CRUD mode (plain HTTP), with its CRUD dispatcher indexed ({@link IndexedCrudDispatcher}) and
 * ResourceQuota object counts enforced ({@link QuotaCrudDispatcher}).
 */
public final class MockApiServer {
  /**
   * The mock server logs every request at INFO through java.util.logging; held here so the quieter
   * level sticks (JUL keeps loggers only weakly).
   */
  private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  private MockApiServer() {}

  /** A started server; {@code createClient()} gives a client for it, {@code destroy()} stops it. */
  public static KubernetesMockServer start() {
    return start(new QuotaCrudDispatcher());
  }

  /**
   * A started server answering with {@code dispatcher} (tests compare it with the stock one, or
   * make it answer what a busy API server would).
   */
  public static KubernetesMockServer start(KubernetesCrudDispatcher dispatcher) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    return server;
  }
}
