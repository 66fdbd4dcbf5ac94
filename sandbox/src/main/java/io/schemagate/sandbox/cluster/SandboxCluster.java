package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.schemagate.operator.OperatorSettings;
import io.schemagate.operator.SchemaGateOperator;
import io.schemagate.operator.gate.GateCounters;
import io.schemagate.operator.gate.GateSignals;
import io.schemagate.operator.kube.EventRecorder;
import io.schemagate.operator.metrics.OperatorMetrics;
import io.schemagate.testkit.cluster.ClusterStandIn;
import io.schemagate.testkit.cluster.KubeletStandIn;
import io.schemagate.testkit.controlplane.ControlPlane;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The local sandbox: an API server, one embedded PostgreSQL that every manifest's database host
 * routes to, a kubelet stand-in (which runs each runner as a child process), and the real operator.
 * The API server is fabric8's mock in CRUD mode ({@link MockApiServer}) by default, with a Job
 * controller stand-in beside the kubelet; or a real control plane ({@link ControlPlane}), where the
 * kubelet stand-in is the one node and Kubernetes' own controllers do the rest. A test and demo
 * tool; it ships in no image.
 */
public final class SandboxCluster implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SandboxCluster.class);

  private static final java.util.concurrent.atomic.AtomicInteger NODES =
      new java.util.concurrent.atomic.AtomicInteger();

  private final IndexedCrudDispatcher dispatcher;

  /** Counts the operator instances started, so that a restart happens once per failed one. */
  private final java.util.concurrent.atomic.AtomicInteger instances =
      new java.util.concurrent.atomic.AtomicInteger();

  private final KubernetesMockServer server;
  private final ControlPlane controlPlane;
  private final boolean ownsControlPlane;
  private final KubernetesClient client;

  /** The operator's: the admin's on the mock, its ServiceAccount's on a real control plane. */
  private final KubernetesClient operatorClient;

  private final EmbeddedPostgres postgres;
  private final DatabaseRouter databases;
  private final ClusterStandIn standIn;
  private final OperatorSettings settings;
  private final GateSignals gate;
  private final OperatorMetrics metrics;
  private Operator operator;
  private boolean operatorRunning;
  private final Path work;

  private SandboxCluster(Builder b) throws IOException, SQLException {
    this.work = Files.createTempDirectory("schemagate-sandbox");
    // What has started so far, stopped again (newest first) if a later part cannot start.
    List<AutoCloseable> started = new ArrayList<>();
    try {
      if (b.controlPlane == null && !b.startControlPlane) {
        this.controlPlane = null;
        this.ownsControlPlane = false;
        this.dispatcher = new QuotaCrudDispatcher();
        this.server = MockApiServer.start(dispatcher);
        started.add(server::destroy);
        this.client = server.createClient();
        started.add(client);
        installCrd(client);
      } else {
        this.dispatcher = null;
        this.server = null;
        this.ownsControlPlane = b.controlPlane == null;
        try {
          this.controlPlane = ownsControlPlane ? ControlPlane.start() : b.controlPlane;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while starting the control plane", e);
        }
        if (ownsControlPlane) {
          started.add(controlPlane);
        }
        this.client = controlPlane.adminClient();
        started.add(client);
        controlPlane.installCrd();
      }
      this.operatorClient = controlPlane == null ? client : operatorAccount(controlPlane, client);
      if (operatorClient != client) {
        started.add(operatorClient);
      }
      this.postgres = startPostgres(work.resolve("pgdata"));
      started.add(postgres);
      this.databases =
          new DatabaseRouter(postgres.getPostgresDatabase(), "127.0.0.1", postgres.getPort());
      RunnerProcesses runners =
          new RunnerProcesses(
              client, b.images, databases, b.runnerJar, work.resolve("pods"), b.extraRunnerArgs);
      this.standIn =
          controlPlane == null
              ? ClusterStandIn.start(client, runners, b.grace)
              : ClusterStandIn.node(
                  client, "sandbox-" + NODES.incrementAndGet(), runners, b.grace, Set.of());
      started.add(standIn);
      this.settings = b.settings;
      // One set of meters for the sandbox's life, as one process' would be; an operator restarted
      // within it counts nothing again (a run is counted when its end is written to status).
      this.gate =
          new GateSignals(new EventRecorder(operatorClient, Clock.systemUTC()), new GateCounters());
      this.metrics = new OperatorMetrics(Clock.systemUTC(), gate.counters());
      this.operator = newOperator();
      if (b.startOperator) {
        operator.start();
        operatorRunning = true;
      }
    } catch (IOException | SQLException | RuntimeException | Error e) {
      // Stopped with the interrupt flag cleared, so that waiting for the processes to end works.
      boolean interrupted = Thread.interrupted();
      for (int i = started.size() - 1; i >= 0; i--) {
        AutoCloseable part = started.get(i);
        try {
          part.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      deleteTree(work);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
  }

  public static Builder builder(Path runnerJar) {
    return new Builder(runnerJar);
  }

  /** Options of a sandbox. */
  public static final class Builder {
    private final Path runnerJar;
    private final BundleImages images = new BundleImages();
    private OperatorSettings settings = OperatorSettings.local();
    private Duration grace = Duration.ofSeconds(5);
    private boolean startOperator = true;
    private List<String> extraRunnerArgs = List.of();
    private ControlPlane controlPlane;
    private boolean startControlPlane;

    private Builder(Path runnerJar) {
      this.runnerJar = runnerJar;
    }

    /**
     * Runs on {@code controlPlane} (e.g. a test's shared one) instead of the mock API server; the
     * caller keeps and closes it.
     */
    public Builder controlPlane(ControlPlane controlPlane) {
      this.controlPlane = controlPlane;
      return this;
    }

    /**
     * Runs on a real control plane of its own, started from the binaries {@code make k8s-bin}
     * built, and stopped with the sandbox.
     */
    public Builder realControlPlane() {
      this.startControlPlane = true;
      return this;
    }

    /**
     * Serves {@code image} from {@code dirs}: one folder, or the image's layers bottom first (a
     * later folder's file replaces an earlier one's of the same path), as a bundle built {@code
     * FROM} an earlier one has them.
     */
    public Builder bundle(String image, Path... dirs) {
      images.add(image, dirs);
      return this;
    }

    /** {@code IMAGE=DIR[:DIR...]}, as {@code --bundle} takes it. */
    public Builder bundle(String mapping) {
      images.add(mapping);
      return this;
    }

    public Builder settings(OperatorSettings settings) {
      this.settings = settings;
      return this;
    }

    /** How long a runner gets between SIGTERM and SIGKILL at its deadline. */
    public Builder gracePeriod(Duration grace) {
      this.grace = grace;
      return this;
    }

    /**
     * Arguments added to every runner command line, e.g. {@code --connect-timeout 2s} so that an
     * unreachable database fails in seconds instead of the runner's default minute.
     */
    public Builder extraRunnerArgs(String... args) {
      this.extraRunnerArgs = List.of(args);
      return this;
    }

    public Builder startOperator(boolean start) {
      this.startOperator = start;
      return this;
    }

    public SandboxCluster start() throws IOException, SQLException {
      return new SandboxCluster(this);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** The real control plane the sandbox runs on; empty on the mock API server. */
  public java.util.Optional<ControlPlane> controlPlane() {
    return java.util.Optional.ofNullable(controlPlane);
  }

  public Operator operator() {
    return operator;
  }

  /** Stops the operator, as when its pod goes away; Jobs keep running. */
  public synchronized void stopOperator() {
    operator.stop();
    operatorRunning = false;
  }

  /** Starts a new operator instance, as a new pod would after a restart. */
  public synchronized void startOperator() {
    operator = newOperator();
    operator.start();
    operatorRunning = true;
  }

  /**
   * The operator as production wires it, except for one thing: where production exits when an
   * informer's watch fails (and Kubernetes restarts the pod), the sandbox, which shares its JVM
   * with the operator, restarts the operator itself, as the pod's restart would.
   */
  private Operator newOperator() {
    int instance = instances.incrementAndGet();
    return SchemaGateOperator.builder(operatorClient, settings)
        .metrics(metrics.reconciliations())
        .onInformerStopped(
            (informer, error) -> {
              if (error != null) {
                Thread restart =
                    new Thread(() -> restartOperator(instance, error), "sandbox-operator-restart");
                restart.setDaemon(true);
                restart.start();
              }
            })
        .gate(gate)
        .migrationMetrics(metrics.migrations())
        .build();
  }

  /** Restarts the operator, once, if {@code instance} (whose informers failed) is still the one. */
  private synchronized void restartOperator(int instance, Throwable error) {
    if (!operatorRunning || instance != instances.get()) {
      return;
    }
    LOG.warn(
        "the operator's watch failed ({}); restarting the operator, as Kubernetes would restart"
            + " its pod",
        error.toString());
    try {
      operator.stop();
    } catch (RuntimeException e) {
      LOG.debug("stopping the failed operator: {}", e.toString());
    }
    startOperator();
  }

  /**
   * Breaks every open watch of the API server, as a faulty connection would; the operator's
   * informers fail, and the sandbox restarts the operator as Kubernetes would restart its pod.
   */
  public void breakWatches() {
    if (dispatcher == null) {
      throw new UnsupportedOperationException("only the mock API server's watches can be broken");
    }
    dispatcher.breakWatches();
  }

  /** The operator's meters: what its {@code /metrics} would serve. */
  public OperatorMetrics metrics() {
    return metrics;
  }

  public DatabaseRouter databases() {
    return databases;
  }

  /** The kubelet stand-in, which runs each migration pod's runner as a child process. */
  public KubeletStandIn kubelet() {
    return standIn.kubelet();
  }

  /**
   * The folder of the runners' output: {@code <namespace>/<pod>/log} (what {@code kubectl logs}
   * would show, had the pod a real kubelet); removed with the sandbox.
   */
  public Path podLogs() {
    return work.resolve("pods");
  }

  /**
   * The port of the sandbox's PostgreSQL on 127.0.0.1, where the superuser {@code postgres} logs in
   * without a password.
   */
  public int postgresPort() {
    return postgres.getPort();
  }

  /** A superuser connection to one of the sandbox's databases. */
  public Connection connect(String database) throws SQLException {
    return postgres.getDatabase("postgres", database).getConnection();
  }

  /** The operator's ServiceAccount, as {@code operator/deploy/rbac.yaml} names it. */
  public static final String OPERATOR_USER =
      "system:serviceaccount:schemagate-system:schemagate-operator";

  /**
   * On a real control plane the operator runs as a cluster runs it: as the ServiceAccount of {@code
   * operator/deploy/rbac.yaml}, bound to exactly those rules, so a request the rules lack is
   * refused here as it would be there.
   */
  private static KubernetesClient operatorAccount(ControlPlane cp, KubernetesClient admin)
      throws IOException {
    String rbac;
    try (InputStream in =
        SandboxCluster.class.getResourceAsStream("/io/schemagate/operator/deploy/rbac.yaml")) {
      if (in == null) {
        throw new IOException(
            "the operator's RBAC (operator/deploy/rbac.yaml) is not on the class path");
      }
      rbac = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String namespace = "schemagate-system";
    String account = "schemagate-operator";
    if (admin.namespaces().withName(namespace).get() == null) {
      admin
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace)
                  .endMetadata()
                  .build())
          .create();
    }
    ControlPlane.Kubectl apply = cp.kubectl(cp.kubeconfig(), rbac, "apply", "-f", "-");
    if (apply.exitCode() != 0) {
      throw new IOException("kubectl apply of the operator's RBAC: " + apply.stderr());
    }
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return ControlPlane.clientFor(cp.kubeconfigWithToken("operator-" + NODES.get(), token));
  }

  /** The mock API server enforces no CRD; it only needs it to serve the status subresource. */
  static void installCrd(KubernetesClient client) throws IOException {
    try (InputStream in =
        SandboxCluster.class.getResourceAsStream(
            "/META-INF/fabric8/schemamigrations.schemagate.io-v1.yml")) {
      if (in == null) {
        throw new IOException("the SchemaMigration CRD is not on the class path");
      }
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /**
   * One PostgreSQL with password authentication over TCP (so a wrong password in a Secret fails as
   * it would on a real server) and trust for the sandbox's own superuser.
   */
  private static EmbeddedPostgres startPostgres(Path data) throws IOException, SQLException {
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
    List<String> hba = new ArrayList<>();
    hba.add("local all all trust");
    hba.add("host all postgres 127.0.0.1/32 trust");
    hba.add("host all postgres ::1/128 trust");
    hba.add("host all all 127.0.0.1/32 scram-sha-256");
    hba.add("host all all ::1/128 scram-sha-256");
    Files.write(data.resolve("pg_hba.conf"), hba);
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_reload_conf()");
    }
    return pg;
  }

  private static void deleteQuietly(Runnable delete) {
    try {
      delete.run();
    } catch (RuntimeException e) {
      LOG.debug("cleaning up: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      synchronized (this) {
        if (operatorRunning) {
          operatorRunning = false;
          operator.stop();
        }
      }
    } finally {
      standIn.close();
      standIn
          .kubelet()
          .node()
          .ifPresent(n -> deleteQuietly(() -> client.nodes().withName(n).delete()));
      if (operatorClient != client) {
        operatorClient.close();
      }
      client.close();
      if (server != null) {
        server.destroy();
      }
      if (ownsControlPlane) {
        controlPlane.close();
      }
      postgres.close();
      metrics.close();
      deleteTree(work);
    }
  }

  /** Removes a temporary folder and what is in it; what cannot be removed stays for the OS. */
  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("removing {}: {}", dir, e.toString());
    }
  }
}
