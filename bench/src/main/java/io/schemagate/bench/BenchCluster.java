package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.schemagate.sandbox.cluster.MockApiServer;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.cluster.PodRunner;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The API server the operator benchmark runs on, and what stands in for the rest of a cluster: the
 * sandbox's mock API server with testkit's Job controller and kubelet stand-ins, or a real control
 * plane (etcd, kube-apiserver, kube-controller-manager) with only the kubelet stand-in as its one
 * node, where Kubernetes' own Job controller turns pods into Job status.
 */
interface BenchCluster extends AutoCloseable {
  /** A client of its own (a connection of its own, as separate processes would have). */
  KubernetesClient newClient();

  /** Starts what runs the Jobs' pods with {@code pods}. */
  ClusterStandIn standIn(KubernetesClient client, PodRunner pods);

  /**
   * What {@link OperatorProcess} needs to reach this server: a URL (mock) or a kubeconfig path
   * (real).
   */
  String operatorServer();

  /** Makes {@code namespace} usable: on a real server it must exist, with its default account. */
  void prepareNamespace(KubernetesClient client, String namespace) throws InterruptedException;

  /**
   * The API server's request counters by verb and resource ({@code apiserver_request_total}), when
   * it exports them; empty for the mock server. Beside each {@code "VERB resource"} key, from
   * {@code apiserver_request_duration_seconds}: {@code key + MICROS} the time the server spent on
   * them and {@code key + SLOW} how many took it over 100 ms.
   */
  default Map<String, Long> requestCounts() {
    return Map.of();
  }

  String MICROS = "#micros";
  String SLOW = "#slow";

  /** One line for the report: what the API server is. */
  String describe();

  @Override
  void close();

  /**
   * Which server: {@code mock} or {@code real}; on a real one, {@code controllerManagerFlags} are
   * added to kube-controller-manager's command line.
   */
  static BenchCluster start(String kind, List<String> controllerManagerFlags)
      throws IOException, InterruptedException {
    return switch (kind) {
      case "mock" -> new Mock();
      case "real" -> new Real(controllerManagerFlags);
      default -> throw new IllegalArgumentException("--control-plane mock|real, not " + kind);
    };
  }

  /** How long a stopped container has between SIGTERM and SIGKILL (none runs here). */
  Duration GRACE = Duration.ofSeconds(1);

  /** fabric8's mock server (CRUD, the sandbox's index) in this process; testkit's stand-ins. */
  final class Mock implements BenchCluster {
    private final KubernetesMockServer server = MockApiServer.start();

    @Override
    public KubernetesClient newClient() {
      return server.createClient();
    }

    @Override
    public ClusterStandIn standIn(KubernetesClient client, PodRunner pods) {
      return ClusterStandIn.start(client, pods, GRACE);
    }

    @Override
    public String operatorServer() {
      return server.url("/");
    }

    @Override
    public void prepareNamespace(KubernetesClient client, String namespace) {
      // The mock server stores objects in any namespace.
    }

    @Override
    public String describe() {
      return "every Job's pod started by the Job controller stand-in and ended by the kubelet"
          + " stand-in with a success result; the sandbox's API server (fabric8's mock server,"
          + " CRUD, indexed) in the bench process";
    }

    @Override
    public void close() {
      server.destroy();
    }
  }

  /**
   * testkit's {@link ControlPlane}, a private one: etcd, kube-apiserver and kube-controller-manager
   * as child processes; the CRD installed with kubectl; one Node, testkit's kubelet stand-in, which
   * binds every pod and ends it with a success result.
   */
  final class Real implements BenchCluster {
    private final ControlPlane controlPlane;
    private final List<String> controllerManagerFlags;

    /** The control plane installs the CRD itself, before its controllers start. */
    Real(List<String> controllerManagerFlags) throws IOException, InterruptedException {
      this.controllerManagerFlags = List.copyOf(controllerManagerFlags);
      this.controlPlane = ControlPlane.start(controllerManagerFlags);
    }

    @Override
    public KubernetesClient newClient() {
      return controlPlane.adminClient();
    }

    @Override
    public ClusterStandIn standIn(KubernetesClient client, PodRunner pods) {
      return ClusterStandIn.node(client, "bench-node", pods, GRACE, Set.of());
    }

    @Override
    public String operatorServer() {
      return controlPlane.kubeconfig().toString();
    }

    @Override
    public void prepareNamespace(KubernetesClient client, String namespace)
        throws InterruptedException {
      if (client.namespaces().withName(namespace).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
      // Pods are admitted only once the service-account controller has made "default".
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (client.serviceAccounts().inNamespace(namespace).withName("default").get() == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(namespace + " got no default ServiceAccount in 60 s");
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }

    @Override
    public String describe() {
      String version = controlPlane.version();
      int at = version.indexOf("\"serverVersion\"");
      String server = "?";
      if (at >= 0) {
        int g = version.indexOf("\"gitVersion\"", at);
        if (g >= 0) {
          int q1 = version.indexOf('"', version.indexOf(':', g) + 1);
          server = version.substring(q1 + 1, version.indexOf('"', q1 + 1));
        }
      }
      return "a real control plane, Kubernetes "
          + server
          + " (etcd with --unsafe-no-fsync, kube-apiserver, kube-controller-manager; testkit's"
          + " ControlPlane, child processes of the bench); Kubernetes' Job controller"
          + (controllerManagerFlags.isEmpty()
              ? " (kube-controller-manager's defaults: client QPS 20, burst 30)"
              : " (kube-controller-manager with `"
                  + String.join(" ", controllerManagerFlags)
                  + "`)")
          + "; one Node,"
          + " testkit's kubelet stand-in, binds every pod and ends it with a success result;"
          + " every client as the cluster administrator";
    }

    @Override
    public Map<String, Long> requestCounts() {
      ControlPlane.Kubectl metrics = controlPlane.kubectl("get", "--raw", "/metrics");
      Map<String, Long> counts = new TreeMap<>();
      if (metrics.exitCode() != 0) {
        return counts;
      }
      String duration = "apiserver_request_duration_seconds_";
      for (String line : metrics.stdout().split("\n")) {
        String suffix;
        if (line.startsWith("apiserver_request_total{")) {
          suffix = "";
        } else if (line.startsWith(duration + "sum{")) {
          suffix = MICROS;
        } else if (line.startsWith(duration + "count{")) {
          suffix = SLOW; // all of them, less those within 100 ms (the bucket below)
        } else if (line.startsWith(duration + "bucket{") && line.contains("le=\"0.1\"")) {
          suffix = SLOW + "-";
        } else {
          continue;
        }
        String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
        String sub = label(labels, "subresource");
        String code = label(labels, "code");
        String key =
            label(labels, "verb")
                + " "
                + label(labels, "resource")
                + (sub.isEmpty() ? "" : "/" + sub)
                // Refusals and conflicts apart (the duration metrics carry no code).
                + (code.isEmpty() || code.startsWith("2") ? "" : " " + code);
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (suffix.equals(MICROS)) {
          counts.merge(key + MICROS, (long) (value * 1e6), Long::sum);
        } else if (suffix.equals(SLOW + "-")) {
          counts.merge(key + SLOW, -(long) value, Long::sum);
        } else {
          counts.merge(key + suffix, (long) value, Long::sum);
        }
      }
      return counts;
    }

    private static String label(String labels, String name) {
      String start = name + "=\"";
      int at = labels.startsWith(start) ? 0 : labels.indexOf("," + start);
      if (at < 0) {
        return "";
      }
      int from = labels.indexOf('"', at) + 1;
      return labels.substring(from, labels.indexOf('"', from));
    }

    /** The administrator's kubeconfig, for a look with kubectl while it runs. */
    Path kubeconfig() {
      return controlPlane.kubeconfig();
    }

    @Override
    public void close() {
      controlPlane.close();
    }
  }
}
