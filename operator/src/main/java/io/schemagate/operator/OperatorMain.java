package io.schemagate.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.operator.http.OperatorHttpServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: settings from the environment, its HTTP endpoints, clean shutdown. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    CommonPool.ensureParallelism();
    OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = SchemaGateOperator.create(client, settings, Clock.systemUTC());
    if (settings.healthPort() > 0) {
      OperatorHttpServer.start(
          settings.healthPort(), () -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
    }
    // On SIGTERM: stop taking new events, let running reconciliations finish. JOSDK 5.2.3 does
    // not release the Lease: the other replica takes over when it expires.
    operator.installShutdownHook(Duration.ofSeconds(20));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Exit, so that Kubernetes shows it and restarts the pod: the health server's thread would
      // otherwise keep a process that reconciles nothing alive, and live to its probe.
      LOG.error("{}", e.getMessage(), e);
      System.exit(1);
    }
    LOG.info(
        "schemagate operator started; namespaces: {}; image prefixes: {}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.allowedImagePrefixes().isEmpty() ? "any" : settings.allowedImagePrefixes());
  }
}
