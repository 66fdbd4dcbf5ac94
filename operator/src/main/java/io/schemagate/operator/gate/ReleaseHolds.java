package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.api.v1alpha1.Durations;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.webhook.WebhookSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code release-holds}: ends every hold schemagate placed, for an uninstall (the Helm chart's
 * pre-delete hook) or by hand. Without the operator nobody would release them, and the Deployments
 * would stay paused for good.
 *
 * <p>In order, so that no hold is placed again behind it: the gate's webhook configuration is
 * deleted (it fails closed: with the operator gone, every gated Deployment's change would be
 * refused, this command's patches included); the operator's Deployment is scaled to zero and its
 * pods waited for (its gate reconciler would hold a Deployment again); then every Deployment of the
 * watched namespaces carrying {@code schemagate.io/paused-by} is unpaused and loses the annotation,
 * each by a patch guarded by its resourceVersion, with an Event saying why. Deployments a person
 * paused (no annotation) are left as they are. One Deployment that cannot be released does not stop
 * the others; the exit code says whether all were.
 */
public final class ReleaseHolds {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseHolds.class);

  /** The command's name, as the operator's first argument. */
  public static final String COMMAND = "release-holds";

  static final String USAGE =
      """
      usage: release-holds [--webhook-configuration NAME] [--stop-deployment NAME]
                           [--timeout DURATION]
        Releases every hold of schemagate's (spec.paused with schemagate.io/paused-by) in the
        namespaces of SCHEMAGATE_WATCH_NAMESPACES (empty: all), after deleting the gate's webhook
        configuration and stopping the operator, so that none is placed again.
        --webhook-configuration NAME  the MutatingWebhookConfiguration to delete first
        --stop-deployment NAME        the operator's Deployment, in SCHEMAGATE_NAMESPACE (or
                                      --namespace NS): scaled to 0 and its pods waited for
        --namespace NS                the operator's namespace (default SCHEMAGATE_NAMESPACE)
        --timeout DURATION            how long to wait for the operator's pods (default 120s)
      exit code: 0 every hold released; 1 one or more not (each told); 2 bad arguments
      """;

  /** Why the hold ended, on each Deployment's Event. */
  public static final String WHY =
      "released: schemagate is being uninstalled, and no longer gates this Deployment";

  /** Page size of the Deployment lists. */
  private static final long PAGE = 500;

  private static final int CONFLICT_ATTEMPTS = 5;

  private static final Duration POLL = Duration.ofSeconds(1);

  /** What to do. */
  public record Options(
      String webhookConfiguration,
      String operatorNamespace,
      String operatorDeployment,
      Duration timeout,
      Set<String> watchNamespaces) {

    /** From the command's arguments and the environment (the operator's variables). */
    public static Options parse(String[] args, Map<String, String> env) {
      String webhook = null;
      String deployment = null;
      String namespace = env.get(WebhookSettings.NAMESPACE);
      Duration timeout = Duration.ofSeconds(120);
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--webhook-configuration" -> webhook = value(args, ++i, arg);
          case "--stop-deployment" -> deployment = value(args, ++i, arg);
          case "--namespace" -> namespace = value(args, ++i, arg);
          case "--timeout" -> timeout = duration(value(args, ++i, arg));
          default -> {
            if (!arg.startsWith("--log-format")) {
              throw new IllegalArgumentException("unknown argument " + arg);
            }
            if (arg.equals("--log-format")) {
              i++; // its value; read by LogSettings
            }
          }
        }
      }
      if (deployment != null && (namespace == null || namespace.isBlank())) {
        throw new IllegalArgumentException(
            "--stop-deployment needs the operator's namespace: --namespace or "
                + WebhookSettings.NAMESPACE);
      }
      return new Options(
          webhook, namespace, deployment, timeout, OperatorSettings.watchNamespaces(env));
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }

    private static Duration duration(String text) {
      try {
        return Durations.parse(text.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--timeout: " + e.getMessage(), e);
      }
    }
  }

  /** What happened, for the exit code and the tests. */
  public record Outcome(List<String> released, List<String> leftPaused, List<String> failed) {
    public int exitCode() {
      return failed.isEmpty() ? 0 : 1;
    }
  }

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  public ReleaseHolds(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    // Sent on this thread: the command ends right after, and each Event must be sent by then.
    this.events = new EventRecorder(client, clock, Runnable::run);
  }

  /** Runs the command; returns its exit code. */
  public static int main(String[] args, Map<String, String> env, KubernetesClient client) {
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      LOG.error("{}: {}\n{}", COMMAND, e.getMessage(), USAGE);
      return 2;
    }
    try {
      return new ReleaseHolds(client, Clock.systemUTC()).run(options).exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("{}: interrupted", COMMAND);
      return 1;
    } catch (KubernetesClientException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      LOG.error(
          "{}: {} (API server {}){}",
          COMMAND,
          e.getMessage(),
          client.getMasterUrl(),
          root == e ? "" : ": " + root.getClass().getSimpleName() + ": " + root.getMessage());
      return 1;
    }
  }

  /** Deletes the webhook configuration, stops the operator, then releases every hold. */
  public Outcome run(Options o) throws InterruptedException {
    if (o.webhookConfiguration() != null) {
      deleteWebhookConfiguration(o.webhookConfiguration());
    }
    if (o.operatorDeployment() != null) {
      stopOperator(o.operatorNamespace(), o.operatorDeployment(), o.timeout());
    }
    return releaseAll(o.watchNamespaces());
  }

  private void deleteWebhookConfiguration(String name) {
    var deleted =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete();
    if (deleted.isEmpty()) {
      LOG.info("MutatingWebhookConfiguration {}: not there (deleted already)", name);
    } else {
      LOG.info(
          "deleted MutatingWebhookConfiguration {}: no hold is placed at admission any more", name);
    }
  }

  /** Scales the operator's Deployment to 0 and waits until none of its pods is left. */
  private void stopOperator(String namespace, String name, Duration timeout)
      throws InterruptedException {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (d == null) {
      LOG.info("Deployment {}/{}: not there, no operator to stop", namespace, name);
      return;
    }
    // With the item just read, not by name: by name fabric8 would read it a second time.
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(d)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("spec", Map.of("replicas", 0))));
    Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
    Instant deadline = clock.instant().plus(timeout);
    int left;
    while ((left =
            client.pods().inNamespace(namespace).withLabels(selector).list().getItems().size())
        > 0) {
      if (!clock.instant().isBefore(deadline)) {
        throw new KubernetesClientException(
            "the operator's Deployment "
                + namespace
                + "/"
                + name
                + " still has "
                + left
                + " pod(s) after "
                + timeout.toSeconds()
                + " s; nothing was released, as the operator could hold Deployments again");
      }
      Thread.sleep(POLL.toMillis());
    }
    LOG.info("stopped the operator: Deployment {}/{} scaled to 0, no pod left", namespace, name);
  }

  private Outcome releaseAll(Set<String> namespaces) {
    List<String> released = new ArrayList<>();
    List<String> leftPaused = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<Deployment> all = new ArrayList<>();
    if (namespaces.isEmpty()) {
      all.addAll(list(null));
    } else {
      for (String ns : namespaces) {
        all.addAll(list(ns));
      }
    }
    for (Deployment d : all) {
      String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
      if (HeldDeployments.pausedBy(d) == null) {
        if (HeldDeployments.paused(d) && HeldDeployments.gate(d) != null) {
          leftPaused.add(key);
        }
        continue;
      }
      try {
        if (release(d)) {
          released.add(key);
        }
      } catch (KubernetesClientException e) {
        failed.add(key);
        LOG.error("Deployment {}: its hold could not be released: {}", key, e.getMessage());
      }
    }
    for (String key : leftPaused) {
      LOG.info(
          "Deployment {}: paused by someone else (no schemagate.io/paused-by), left as it is", key);
    }
    if (failed.isEmpty()) {
      LOG.info("released {} hold(s); none left", released.size());
    } else {
      LOG.error("released {} hold(s); {} could not be: {}", released.size(), failed.size(), failed);
    }
    return new Outcome(List.copyOf(released), List.copyOf(leftPaused), List.copyOf(failed));
  }

  /** Every Deployment of {@code namespace} (null: all namespaces), page by page. */
  private List<Deployment> list(String namespace) {
    List<Deployment> out = new ArrayList<>();
    String next = null;
    do {
      var options = new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build();
      DeploymentList page =
          namespace == null
              ? client.apps().deployments().inAnyNamespace().list(options)
              : client.apps().deployments().inNamespace(namespace).list(options);
      out.addAll(page.getItems());
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return out;
  }

  /** The stored copy of {@code d}, listed by name (the hook may list Deployments, not get them). */
  private Deployment reread(Deployment d) {
    return client
        .apps()
        .deployments()
        .inNamespace(d.getMetadata().getNamespace())
        .withField("metadata.name", d.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  /**
   * Releases {@code d}'s hold, read again after a conflicting write; false when it went meanwhile
   * (deleted, or released by someone).
   */
  boolean release(Deployment d) {
    Deployment current = d;
    for (int attempt = 1; ; attempt++) {
      String holder = HeldDeployments.pausedBy(current);
      if (holder == null) {
        return false;
      }
      try {
        client
            .apps()
            .deployments()
            .inNamespace(current.getMetadata().getNamespace())
            // With the item, not by name: by name fabric8 reads it first (a get, not granted).
            .resource(current)
            .patch(
                PatchContext.of(PatchType.JSON),
                Serialization.asJson(
                    HoldPatch.guarded(
                        Hold.RELEASE,
                        current.getMetadata().getAnnotations(),
                        holder,
                        current.getMetadata().getResourceVersion())));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return false;
        }
        if (e.getCode() == 409 && attempt < CONFLICT_ATTEMPTS) {
          // Changed since it was listed: decided again on the stored copy.
          current = reread(current);
          if (current == null) {
            return false;
          }
          continue;
        }
        throw e;
      }
      LOG.info(
          "Deployment {}/{}: released (held by SchemaMigration {})",
          current.getMetadata().getNamespace(),
          current.getMetadata().getName(),
          holder);
      events.normal(current, GateSignals.RELEASED, WHY);
      return true;
    }
  }
}
