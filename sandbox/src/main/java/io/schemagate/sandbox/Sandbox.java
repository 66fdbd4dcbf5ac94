package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.CommonPool;
import io.schemagate.operator.http.OperatorHttpServer;
import io.schemagate.operator.metrics.OperatorMetrics;
import io.schemagate.sandbox.cluster.BundleImages;
import io.schemagate.sandbox.cluster.SandboxCluster;
import io.schemagate.testkit.controlplane.ControlPlane;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code make sandbox}: applies manifests to a local sandbox cluster, as {@code kubectl apply}
 * would, waits after each for every SchemaMigration and gated Deployment to settle, and prints the
 * final state. The API server is fabric8's mock (the default) or a real control plane of its own
 * ({@code --control-plane real}).
 */
public final class Sandbox {
  static final String USAGE =
      """
      usage: sandbox --apply PATH ... --bundle IMAGE=DIR[:DIR...] ... [--control-plane mock|real]
                     [--hold] [--wait-seconds N] [--output table|yaml|json] [--state-after-each]
                     [--runner-jar PATH] [--metrics-out FILE] [--metrics-port N]
        --apply PATH            manifests (a file or a folder of *.yaml/*.yml), applied in order as
                                kubectl apply would; each is waited on before the next
        --bundle IMAGE=DIR[:DIR...]
                                serve a bundle image reference from a local migrations folder;
                                several folders are the image's layers, bottom first (a bundle
                                built FROM an earlier one: v1's folder, then what v2 adds); a
                                later folder's file replaces an earlier one's of the same path
        --control-plane KIND    mock (default): fabric8's mock API server, in this process; it
                                enforces no CRD schema, namespace or RBAC, and kubectl cannot use
                                it (it serves no API discovery). real: a Kubernetes control plane
                                of its own (etcd, kube-apiserver, kube-controller-manager, which
                                make k8s-bin builds; their folder in SCHEMAGATE_K8S_DIR): it
                                enforces the CRD, namespaces and quotas and runs Kubernetes' Job
                                controller; its kubeconfig is printed at start, for kubectl
        --hold                  after printing the final state, keep everything running until
                                Ctrl-C or SIGTERM, then stop it all and remove its folders; prints
                                what to reach meanwhile (kubectl, runner logs, PostgreSQL)
        --wait-seconds N        wait at most N s per --apply for every SchemaMigration to be
                                Ready or Stalled at its current generation and every gated
                                Deployment held or released as its gate says (default 120)
        --output FORMAT         final state: table (default; what kubectl get smig -o wide shows,
                                then the gated Deployments: gate, required revision, paused, by
                                whom), yaml or json ({"schemaMigrations": [...], "deployments":
                                [...]}, as the API server stores them)
        --state-after-each      print the state after every --apply's wait, not only at the end
                                (in --output's format: one table, or document, per --apply;
                                before each, a line on stderr names the --apply it follows)
        --runner-jar PATH       default migrations-image/target/schemagate-runner.jar
        --metrics-out FILE      write the operator's final /metrics scrape (Prometheus text)
                                to FILE at the end
        --metrics-port N        serve the operator's /metrics, /healthz and /readyz on port N
                                of every address while the sandbox runs (0: any free port;
                                the port is printed), for a Prometheus to scrape
        --help                  this text
      exit code: 0 every object applied and every SchemaMigration Ready; 1 an object the API
      server rejected (told as kubectl apply tells it) or a SchemaMigration not Ready; 2 a
      mistake in the arguments or manifests; 130 (143) stopped by Ctrl-C (SIGTERM) before the end
      """;

  /** 128 + the number of the signal that asked the sandbox to stop; 0 while none did. */
  private static final AtomicInteger STOP_SIGNAL = new AtomicInteger();

  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureParallelism();
    stopOnSignals(Thread.currentThread(), System.err);
    System.exit(execute(args, System.out, System.err));
  }

  /**
   * Ctrl-C (SIGINT) and SIGTERM interrupt {@code main}, which then stops the operator, the runners,
   * the database and the control plane in order and removes their folders, rather than leaving that
   * to shutdown hooks racing each other; a second signal exits at once (the hooks still stop the
   * child processes).
   */
  private static void stopOnSignals(Thread main, PrintStream err) {
    for (String name : List.of("INT", "TERM")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              if (STOP_SIGNAL.compareAndSet(0, 128 + signal.getNumber())) {
                err.println("sandbox: stopping (SIG" + name + " again to exit at once)");
                main.interrupt();
              } else {
                System.exit(128 + signal.getNumber());
              }
            });
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs), or it was ignored when the JVM started (a background
        // job of a script): it stays as it is.
      }
    }
  }

  /**
   * The command: 0 when every object was applied and every SchemaMigration ended Ready, 1
   * otherwise, 2 for a mistake in the arguments or the manifests, which is told in one line before
   * anything starts, 130 when interrupted (Ctrl-C) before the end.
   */
  static int execute(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    try {
      return run(Options.parse(args), out, err);
    } catch (IllegalArgumentException | Manifests.Invalid e) {
      err.println("sandbox: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      if (!stopped(e)) {
        throw e;
      }
      err.println("sandbox: stopped before the end");
      int signal = STOP_SIGNAL.get();
      return signal == 0 ? 130 : signal;
    }
  }

  /** Whether {@code e} is what an interrupt (Ctrl-C, SIGTERM) made of the step it stopped. */
  private static boolean stopped(Throwable e) {
    boolean interrupted = Thread.interrupted() || STOP_SIGNAL.get() != 0;
    for (Throwable t = e; t != null; t = t.getCause()) {
      interrupted |= t instanceof InterruptedException;
    }
    return interrupted;
  }

  /**
   * Runs the sandbox; returns 0 when every object was applied and every SchemaMigration ended
   * Ready, 1 otherwise.
   */
  static int run(Options o, PrintStream out, PrintStream err) throws Exception {
    // Every manifest is read before anything starts: a mistake in the last costs no wait.
    List<List<Manifests.Item>> batches = new ArrayList<>();
    for (Path path : o.apply) {
      batches.add(Manifests.read(path));
    }
    SandboxCluster.Builder builder = SandboxCluster.builder(o.runnerJar);
    o.bundles.forEach(builder::bundle);
    if (o.realControlPlane()) {
      builder.realControlPlane();
    }
    SandboxCluster cluster = builder.start();
    OperatorHttpServer http = null;
    try {
      if (o.metricsPort != null) {
        http =
            OperatorHttpServer.start(
                o.metricsPort,
                () -> cluster.operator().getRuntimeInfo().allEventSourcesAreHealthy(),
                cluster.metrics()::scrape,
                OperatorMetrics.CONTENT_TYPE);
        err.println(
            "sandbox: the operator's metrics: http://127.0.0.1:" + http.port() + "/metrics");
      }
      int code = run(o, batches, cluster, out, err);
      if (o.metricsOut != null) {
        writeMetrics(o.metricsOut, cluster.metrics().scrape());
        err.println("sandbox: wrote the operator's final /metrics scrape to " + o.metricsOut);
      }
      return code;
    } finally {
      // Stopped with the interrupt cleared, so that waiting for each part to end works.
      Thread.interrupted();
      if (http != null) {
        http.close();
      }
      cluster.close();
    }
  }

  private static void writeMetrics(Path file, String scrape) throws java.io.IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, scrape);
  }

  private static int run(
      Options o,
      List<List<Manifests.Item>> batches,
      SandboxCluster cluster,
      PrintStream out,
      PrintStream err)
      throws Exception {
    KubernetesClient client = cluster.client();
    cluster.controlPlane().ifPresent(cp -> err.print(kubectlHint(cp, client)));
    int rejected = 0;
    try (var events = printEvents(client, err)) {
      Manifests manifests = new Manifests(client);
      for (int i = 0; i < batches.size(); i++) {
        Path path = o.apply.get(i);
        Manifests.Outcome outcome = manifests.apply(batches.get(i));
        err.print(ApplyErrors.report(outcome.rejected()));
        rejected += outcome.rejected().size();
        err.println(
            "sandbox: applied "
                + outcome.applied().size()
                + (outcome.applied().size() == 1 ? " object from " : " objects from ")
                + path
                + (outcome.rejected().isEmpty()
                    ? ""
                    : "; the API server rejected " + outcome.rejected().size()));
        boolean settled = Settle.await(client, Duration.ofSeconds(o.waitSeconds));
        if (!settled) {
          err.println(
              "sandbox: not every SchemaMigration and gated Deployment settled within "
                  + o.waitSeconds
                  + " s");
        }
        if (o.stateAfterEach && i < batches.size() - 1) {
          // The last --apply's state is the final state, printed below.
          err.println("sandbox: the state after --apply " + path + ":");
          err.flush();
          out.print(finalState(client, schemaMigrations(client), o.output));
          out.print(separator(o.output));
          out.flush();
        }
      }
    }
    if (o.stateAfterEach) {
      err.println("sandbox: the final state:");
      err.flush();
    }
    List<SchemaMigration> all = schemaMigrations(client);
    out.print(finalState(client, all, o.output));
    out.flush();
    int code = rejected == 0 && all.stream().allMatch(Settle::ready) ? 0 : 1;
    if (o.hold) {
      hold(cluster, err);
    }
    return code;
  }

  private static List<SchemaMigration> schemaMigrations(KubernetesClient client) {
    return client.resources(SchemaMigration.class).inAnyNamespace().list().getItems();
  }

  /**
   * What separates one state from the next with {@code --state-after-each}: a blank line between
   * tables; JSON documents follow each other on their own lines (jq reads such a stream); YAML
   * documents start with their own {@code ---}.
   */
  private static String separator(String format) {
    return "table".equals(format) ? "\n" : "";
  }

  /** The kubeconfig of the real control plane, and a kubectl command that uses it. */
  private static String kubectlHint(ControlPlane cp, KubernetesClient client) {
    String kubectl =
        ControlPlane.binaries().map(b -> b.resolve("kubectl").toString()).orElse("kubectl");
    return "sandbox: Kubernetes "
        + client.getKubernetesVersion().getGitVersion()
        + " is up; kubeconfig: "
        + cp.kubeconfig()
        + "\nsandbox: while the sandbox runs: "
        + kubectl
        + " --kubeconfig "
        + cp.kubeconfig()
        + " get smig -A\n";
  }

  /** Keeps everything running until the thread is interrupted (Ctrl-C, SIGTERM). */
  private static void hold(SandboxCluster cluster, PrintStream err) {
    err.println("sandbox: holding until Ctrl-C (or SIGTERM); the operator keeps running");
    cluster
        .controlPlane()
        .ifPresentOrElse(
            cp ->
                err.println(
                    "sandbox:   kubectl --kubeconfig "
                        + cp.kubeconfig()
                        + " get smig,jobs,pods -A"),
            () ->
                err.println(
                    "sandbox:   the mock API server serves no API discovery, so kubectl knows none"
                        + " of its resource types (--control-plane real for kubectl); it answers"
                        + " plain HTTP: curl "
                        + cluster.client().getMasterUrl()
                        + "apis/schemagate.io/v1alpha1/schemamigrations"));
    err.println("sandbox:   runner logs: " + cluster.podLogs() + "/NAMESPACE/POD/log");
    err.println(
        "sandbox:   PostgreSQL: psql -h 127.0.0.1 -p "
            + cluster.postgresPort()
            + " -U postgres DATABASE (no password)");
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      if (STOP_SIGNAL.get() == 0) {
        err.println("sandbox: stopping");
      }
    }
  }

  /** Streams the operator's Events as they happen, the way {@code kubectl get events -w} would. */
  private static io.fabric8.kubernetes.client.Watch printEvents(
      KubernetesClient client, PrintStream err) {
    return client
        .v1()
        .events()
        .inAnyNamespace()
        .watch(
            new io.fabric8.kubernetes.client.Watcher<>() {
              @Override
              public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Event e) {
                if (action == Action.ADDED) {
                  err.println(
                      "event: "
                          + e.getType()
                          + " "
                          + e.getReason()
                          + " "
                          + e.getInvolvedObject().getNamespace()
                          + "/"
                          + e.getInvolvedObject().getName()
                          + ": "
                          + e.getMessage());
                }
              }

              @Override
              public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
            });
  }

  /**
   * What the sandbox prints at the end, in {@code format} (table, yaml or json): the
   * SchemaMigrations {@code all} and every Deployment, as the API server stores them; the table
   * adds one of the Deployments the gate concerns under the SchemaMigrations', after a blank line.
   */
  static String finalState(KubernetesClient client, List<SchemaMigration> all, String format) {
    List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    return switch (format) {
      case "json" -> client.getKubernetesSerialization().asJson(document(all, deployments)) + "\n";
      case "yaml" -> client.getKubernetesSerialization().asYaml(document(all, deployments));
      default -> {
        String gated = Table.deployments(deployments);
        yield Table.of(all) + (gated.isEmpty() ? "" : "\n" + gated);
      }
    };
  }

  private static Map<String, Object> document(
      List<SchemaMigration> all, List<Deployment> deployments) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schemaMigrations", all);
    doc.put("deployments", deployments);
    return doc;
  }

  /** The command line. */
  record Options(
      List<Path> apply,
      List<String> bundles,
      int waitSeconds,
      String output,
      boolean stateAfterEach,
      Path runnerJar,
      String controlPlane,
      boolean hold,
      Path metricsOut,
      Integer metricsPort) {

    boolean realControlPlane() {
      return "real".equals(controlPlane);
    }

    static Options parse(String[] args) {
      List<Path> apply = new ArrayList<>();
      List<String> bundles = new ArrayList<>();
      int wait = 120;
      String output = "table";
      boolean stateAfterEach = false;
      Path jar = Path.of("migrations-image/target/schemagate-runner.jar");
      String controlPlane = "mock";
      boolean hold = false;
      Path metricsOut = null;
      Integer metricsPort = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--apply" -> apply.add(Path.of(value(args, ++i, a)));
          case "--bundle" -> {
            String mapping = value(args, ++i, a);
            new BundleImages().add(mapping); // says now what is wrong with it
            bundles.add(mapping);
          }
          case "--wait-seconds" -> {
            try {
              wait = Integer.parseInt(value(args, ++i, a));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--wait-seconds takes a number");
            }
          }
          case "--output" -> {
            output = value(args, ++i, a);
            if (!List.of("table", "yaml", "json").contains(output)) {
              throw new IllegalArgumentException("--output is table, yaml or json");
            }
          }
          case "--state-after-each" -> stateAfterEach = true;
          case "--runner-jar" -> jar = Path.of(value(args, ++i, a));
          case "--control-plane" -> {
            controlPlane = value(args, ++i, a);
            if (!List.of("mock", "real").contains(controlPlane)) {
              throw new IllegalArgumentException(
                  "--control-plane is mock or real, got: " + controlPlane);
            }
          }
          case "--hold" -> hold = true;
          case "--metrics-out" -> metricsOut = Path.of(value(args, ++i, a));
          case "--metrics-port" -> {
            try {
              metricsPort = Integer.parseInt(value(args, ++i, a));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--metrics-port takes a port number");
            }
            if (metricsPort < 0 || metricsPort > 65535) {
              throw new IllegalArgumentException("--metrics-port takes a port number (0-65535)");
            }
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown argument " + a + " (sandbox --help shows the usage)");
        }
      }
      if (apply.isEmpty()) {
        throw new IllegalArgumentException("nothing to --apply (sandbox --help shows the usage)");
      }
      for (Path p : apply) {
        if (!Files.exists(p)) {
          throw new IllegalArgumentException("--apply " + p + ": no such file or folder");
        }
      }
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(
            "no runner jar at " + jar + " (build it: make runner, or pass --runner-jar)");
      }
      if (controlPlane.equals("real")) {
        requireControlPlaneBinaries();
      }
      return new Options(
          apply,
          bundles,
          wait,
          output,
          stateAfterEach,
          jar.toAbsolutePath(),
          controlPlane,
          hold,
          metricsOut,
          metricsPort);
    }

    /** The real control plane's binaries, or one line saying how to get them. */
    private static void requireControlPlaneBinaries() {
      boolean found;
      try {
        found = ControlPlane.available();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("--control-plane real: " + e.getMessage());
      }
      if (!found) {
        throw new IllegalArgumentException(
            "--control-plane real needs the Kubernetes binaries make k8s-bin builds (it needs Go"
                + " 1.24+): run make k8s-bin, then make sandbox, or set "
                + ControlPlane.BIN_DIR_ENV
                + " to the folder it prints");
      }
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
