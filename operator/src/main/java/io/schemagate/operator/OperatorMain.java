package io.schemagate.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.gate.ReleaseHolds;
import io.schemagate.operator.http.OperatorHttpServer;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.logging.LogSettings;
import io.schemagate.operator.metrics.OperatorMetrics;
import io.schemagate.operator.webhook.GateWebhook;
import io.schemagate.operator.webhook.WebhookServer;
import io.schemagate.operator.webhook.WebhookSettings;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: settings from the environment, its HTTP endpoints, clean shutdown. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws IOException {
    try {
      LogSettings.from(args, System.getenv()).apply();
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(1);
      return;
    }
    if (args.length > 0 && args[0].equals(ReleaseHolds.COMMAND)) {
      // The uninstall's command (the chart's pre-delete hook), not the operator.
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      int code;
      try (KubernetesClient client = new KubernetesClientBuilder().build()) {
        code = ReleaseHolds.main(rest, System.getenv(), client);
      }
      System.exit(code);
      return;
    }
    CommonPool.ensureParallelism();
    OperatorSettings settings;
    WebhookSettings webhookSettings;
    try {
      settings = OperatorSettings.fromEnv(System.getenv());
      webhookSettings = WebhookSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Clock clock = Clock.systemUTC();
    KubernetesClient client = new KubernetesClientBuilder().build();
    // The reconciler and the webhook tell of holds through one GateSignals: one set of counters.
    GateSignals gate = new GateSignals(new EventRecorder(client, clock), new GateCounters());
    OperatorMetrics metrics = new OperatorMetrics(clock, gate.counters());
    Operator operator =
        SchemaGateOperator.builder(client, settings)
            .clock(clock)
            .metrics(metrics.reconciliations())
            .gate(gate)
            .migrationMetrics(metrics.migrations())
            .build();
    GateWebhook webhook = null;
    if (webhookSettings != null) {
      // Every replica serves the webhook, leader or not; it starts before the operator waits for
      // its Lease, so that a standby replica answers admission reviews too.
      try {
        webhook =
            GateWebhook.start(client, webhookSettings, settings.watchNamespaces(), gate, clock);
      } catch (RuntimeException e) {
        LOG.error("the gate's webhook cannot start: {}", e.getMessage(), e);
        System.exit(1);
      }
      LOG.info(
          "the gate's webhook serves {} on port {}",
          WebhookServer.MUTATE_DEPLOYMENTS,
          webhook.port());
    }
    GateWebhook served = webhook;
    if (served != null) {
      // A bypass a standby replica's webhook admitted is exported by that replica.
      metrics.migrations().alsoKnown((ns, name) -> served.knows(ns, name));
    }
    if (settings.httpPort() > 0) {
      try {
        OperatorHttpServer.start(
            settings.httpPort(),
            () ->
                operator.getRuntimeInfo().allEventSourcesAreHealthy()
                    && (served == null || served.isReady()),
            metrics::scrape,
            OperatorMetrics.CONTENT_TYPE);
      } catch (IOException e) {
        LOG.error(
            "cannot serve /metrics, /healthz and /readyz on port {} ({}): {}",
            settings.httpPort(),
            OperatorSettings.HTTP_PORT,
            e.getMessage());
        System.exit(1);
      }
    }
    // On SIGTERM: stop taking new events, let running reconciliations finish. JOSDK 5.2.3 does
    // not release the Lease: the other replica takes over when it expires.
    operator.installShutdownHook(Duration.ofSeconds(20));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Exit, so that Kubernetes shows it and restarts the pod: the health server's thread would
      // otherwise keep a process that reconciles nothing alive, and live to its probe.
      LOG.error("{}", whyStartFailed(e, client.getMasterUrl()), e);
      System.exit(1);
    }
    LOG.info(
        "schemagate operator started; namespaces: {}; image prefixes: {}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.allowedImagePrefixes().isEmpty() ? "any" : settings.allowedImagePrefixes());
  }

  /**
   * Our own refusals (e.g. a missing RBAC rule) say why in their message; JOSDK wraps a failed
   * informer start in four layers of "Error starting operator", so for those the line names the API
   * server, the informer and the root cause (e.g. a refused or unresolved connection).
   */
  private static String whyStartFailed(Throwable e, URL apiServer) {
    if (e.getCause() == null) {
      return e.getMessage();
    }
    Throwable root = e;
    String what = e.getMessage();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      if (root.getMessage() != null && root.getMessage().startsWith("Couldn't start informer")) {
        what = root.getMessage();
      }
    }
    return "the operator could not start (API server "
        + apiServer
        + "): "
        + what
        + ": "
        + root.getClass().getName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
