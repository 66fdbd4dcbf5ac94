package io.schemagate.testkit.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on loopback ports, in a temporary folder: etcd, kube-apiserver
 * and kube-controller-manager, built by {@code make k8s-bin} from their published Go modules. The
 * API server has what a cluster has on: RBAC, service-account tokens, its default admission plugins
 * (NamespaceLifecycle, ServiceAccount, PodSecurity, the admission webhooks, ResourceQuota, ...);
 * the controller manager runs the Job, Deployment, ReplicaSet, garbage collector, namespace,
 * service-account, resource-quota and ClusterRole-aggregation controllers. There are no nodes: a
 * kubelet stand-in runs pods. Nothing of it outlives the JVM.
 *
 * <p>Two things a default API server does not do, and clusters do:
 * OwnerReferencesPermissionEnforcement is on (as on OpenShift: an owner reference with {@code
 * blockOwnerDeletion} needs the right to update the owner's finalizers), and every request of a
 * service account is written to an audit log ({@link #audit(String)}), so that a test can see what
 * a component running as one asked and what it was answered.
 */
public final class ControlPlane implements AutoCloseable {
  /** Where the binaries are: a system property, else the environment. */
  public static final String BIN_DIR_PROPERTY = "schemagate.k8s.dir";

  public static final String BIN_DIR_ENV = "SCHEMAGATE_K8S_DIR";

  /** The JUnit tag of the tests that need it ({@code make test-k8s} runs only those). */
  public static final String TAG = "control-plane";

  static final List<String> CONTROLLERS =
      List.of(
          "job-controller",
          "deployment-controller",
          "replicaset-controller",
          "garbage-collector-controller",
          "namespace-controller",
          "serviceaccount-controller",
          "resourcequota-controller",
          "clusterrole-aggregation-controller");

  /**
   * Requests of service accounts at Metadata level (who, what, the answer's code); nothing of the
   * administrator's or the controllers', which run in system:masters.
   */
  static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: Metadata
        userGroups: ["system:serviceaccounts"]
      - level: None
      """;

  private static final Duration START = Duration.ofSeconds(90);
  private static ControlPlane shared;

  private final Path binaries;
  private final Path dir;
  private final String token;
  private final List<ChildProcess> processes = new ArrayList<>();
  private final Path kubeconfig;
  private final URI server;
  private final String version;
  private final List<String> controllerManagerFlags;

  private ControlPlane(Path binaries, List<String> controllerManagerFlags)
      throws IOException, InterruptedException {
    this.binaries = binaries;
    this.controllerManagerFlags = List.copyOf(controllerManagerFlags);
    this.dir = Files.createTempDirectory("schemagate-control-plane");
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    try {
      int etcdPort = freePort();
      int peerPort = freePort();
      int apiPort = freePort();
      this.server = URI.create("https://127.0.0.1:" + apiPort);
      startEtcd(etcdPort, peerPort);
      startApiServer(etcdPort, apiPort);
      this.kubeconfig = writeKubeconfig(dir.resolve("admin.kubeconfig"), token);
      // Before the controllers start, so that the garbage collector knows SchemaMigrations from
      // its first discovery (it looks again only every 30 s).
      installCrd();
      startControllerManager();
      this.version = kubectl("version", "-o", "json").stdout();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The folder of the binaries, when {@code make k8s-bin} has been run and named it. */
  public static Optional<Path> binaries() {
    String dir = System.getProperty(BIN_DIR_PROPERTY, System.getenv(BIN_DIR_ENV));
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    Path p = Path.of(dir);
    for (String b : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl")) {
      if (!Files.isExecutable(p.resolve(b))) {
        throw new IllegalStateException(
            BIN_DIR_PROPERTY + "=" + dir + " has no " + b + ": run make k8s-bin");
      }
    }
    return Optional.of(p);
  }

  /**
   * A control plane of its own (not {@link #shared}), for a tool such as the sandbox; the caller
   * closes it, and it ends with the JVM in any case.
   */
  public static ControlPlane start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /**
   * As {@link #start()}, with {@code controllerManagerFlags} added to kube-controller-manager's
   * command line (e.g. {@code --kube-api-qps=200} for the benchmark).
   */
  public static ControlPlane start(List<String> controllerManagerFlags)
      throws IOException, InterruptedException {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no control plane binaries: run make k8s-bin, then pass their folder as"
                            + " -D"
                            + BIN_DIR_PROPERTY
                            + " or "
                            + BIN_DIR_ENV));
    ControlPlane started = new ControlPlane(bin, controllerManagerFlags);
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
    return started;
  }

  /** Whether tests on the real control plane can run here. */
  public static boolean available() {
    return binaries().isPresent();
  }

  /**
   * The control plane of this JVM, started on first use and stopped when the JVM exits: starting
   * one takes seconds, so every test class shares it (each uses namespaces of its own).
   */
  public static synchronized ControlPlane shared() {
    if (shared == null) {
      Path bin =
          binaries()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no control plane binaries: run make k8s-bin and pass -D"
                              + BIN_DIR_PROPERTY));
      try {
        shared = new ControlPlane(bin, List.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      ControlPlane started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
    }
    return shared;
  }

  private void startEtcd(int port, int peerPort) throws IOException, InterruptedException {
    String client = "http://127.0.0.1:" + port;
    String peer = "http://127.0.0.1:" + peerPort;
    start(
        "etcd",
        List.of(
            binaries.resolve("etcd").toString(),
            "--name=test",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=test=" + peer,
            // A test store: losing it on a crash loses nothing.
            "--unsafe-no-fsync=true",
            "--log-level=warn"));
    HttpClient http = HttpClient.newHttpClient();
    await(
        "etcd",
        () -> {
          try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(client + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("\"health\":\"true\"");
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private void startApiServer(int etcdPort, int port) throws IOException, InterruptedException {
    KeyPairGenerator rsa;
    try {
      rsa = KeyPairGenerator.getInstance("RSA");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    rsa.initialize(2048);
    KeyPair serviceAccounts = rsa.generateKeyPair();
    Path key = dir.resolve("sa.key");
    Path pub = dir.resolve("sa.pub");
    Files.writeString(key, pem("PRIVATE KEY", serviceAccounts.getPrivate().getEncoded()));
    Files.writeString(pub, pem("PUBLIC KEY", serviceAccounts.getPublic().getEncoded()));
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, token + ",admin,admin,\"system:masters\"\n");
    Path auditPolicy = dir.resolve("audit-policy.yaml");
    Files.writeString(auditPolicy, AUDIT_POLICY);
    start(
        "kube-apiserver",
        List.of(
            binaries.resolve("kube-apiserver").toString(),
            "--etcd-servers=http://127.0.0.1:" + etcdPort,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            // The in-cluster "kubernetes" Service is nobody's business here, and newer API
            // servers refuse to point its endpoints at a loopback address.
            "--endpoint-reconciler-type=none",
            "--secure-port=" + port,
            "--cert-dir=" + dir.resolve("pki"),
            "--token-auth-file=" + tokens,
            "--authorization-mode=RBAC",
            // In addition to the default plugins.
            "--enable-admission-plugins=OwnerReferencesPermissionEnforcement",
            "--audit-policy-file=" + auditPolicy,
            "--audit-log-path=" + auditLog(),
            "--audit-log-format=json",
            // Each event written as it happens, not batched.
            "--audit-log-mode=blocking",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pub,
            "--service-account-signing-key-file=" + key,
            "--service-cluster-ip-range=10.96.0.0/16"));
    Path servingCert = dir.resolve("pki").resolve("apiserver.crt");
    await("kube-apiserver to write its certificate", () -> Files.exists(servingCert));
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(servingCert)).build();
    await(
        "kube-apiserver",
        () -> {
          try {
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(server.resolve("/readyz"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private void startControllerManager() throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binaries.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                "--controllers=" + String.join(",", CONTROLLERS),
                "--leader-elect=false",
                "--use-service-account-credentials=false",
                "--secure-port=0"));
    command.addAll(controllerManagerFlags);
    start("kube-controller-manager", command);
    // The service-account controller gives every namespace its "default" account: once it has,
    // the controllers run.
    await(
        "kube-controller-manager",
        () ->
            kubectl("get", "serviceaccount", "default", "-n", "default", "-o", "name").exitCode()
                == 0);
  }

  private void start(String name, List<String> command) throws IOException {
    processes.add(ChildProcess.start(name, dir.resolve(name + ".log"), command));
  }

  private void await(String what, BooleanSupplier ready) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (!ready.getAsBoolean()) {
      for (ChildProcess p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              p.name() + " exited while waiting for " + what + ":\n" + p.tail(30));
        }
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        processes.forEach(
            p -> logs.append("\n--- ").append(p.name()).append('\n').append(p.tail(15)));
        throw new IllegalStateException("timed out waiting for " + what + logs);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private Path writeKubeconfig(Path file, String bearer) throws IOException {
    String ca =
        Base64.getEncoder()
            .encodeToString(Files.readAllBytes(dir.resolve("pki").resolve("apiserver.crt")));
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: user
          user: {token: "%s"}
        contexts:
        - name: test
          context: {cluster: test, user: user, namespace: default}
        current-context: test
        """
            .formatted(server, ca, bearer));
    return file;
  }

  private boolean crdInstalled;

  /**
   * Installs the SchemaMigration CRD (the committed one, from the class path) as a user would, with
   * {@code kubectl apply --server-side}, and waits until it is established; once per control plane.
   */
  public synchronized void installCrd() {
    if (crdInstalled) {
      return;
    }
    try (var in =
        ControlPlane.class.getResourceAsStream(
            "/META-INF/fabric8/schemamigrations.schemagate.io-v1.yml")) {
      if (in == null) {
        throw new IllegalStateException("the SchemaMigration CRD is not on the class path");
      }
      Path crd = dir.resolve("schemamigrations.schemagate.io-v1.yml");
      Files.write(crd, in.readAllBytes());
      Kubectl apply = kubectl("apply", "--server-side", "-f", crd.toString());
      if (apply.exitCode() != 0) {
        throw new IllegalStateException("kubectl apply of the CRD failed: " + apply.stderr());
      }
      // Not kubectl wait: on a CRD whose status has no conditions yet it fails at once.
      String established = "";
      long deadline = System.nanoTime() + START.toNanos();
      while (!"True".equals(established)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the CRD was not established within " + START);
        }
        Kubectl get =
            kubectl(
                "get",
                "crd/schemamigrations.schemagate.io",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}");
        established = get.exitCode() == 0 ? get.stdout().strip() : "";
        if (!"True".equals(established)) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
      crdInstalled = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing the CRD", e);
    }
  }

  /** A kubeconfig for this control plane with {@code bearer} as the user's token. */
  public Path kubeconfigWithToken(String name, String bearer) throws IOException {
    return writeKubeconfig(dir.resolve(name + ".kubeconfig"), bearer);
  }

  /**
   * A kubeconfig that acts as ServiceAccount {@code account} of {@code namespace}, with a fresh
   * token ({@code kubectl create token}), as a pod of that account would.
   */
  public Path kubeconfigOf(String namespace, String account) {
    Kubectl token = kubectl("create", "token", account, "-n", namespace);
    if (token.exitCode() != 0) {
      throw new IllegalStateException(
          "kubectl create token " + account + " -n " + namespace + ": " + token.stderr());
    }
    try {
      return kubeconfigWithToken(namespace + "-" + account, token.stdout().trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code kubectl auth can-i VERB RESOURCE --as=USER FLAGS...} (e.g. {@code -n NS}, {@code
   * --subresource=status}): whether the API server's authorizer lets {@code user} do it.
   */
  public boolean canI(String user, String verb, String resource, String... flags) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource, "--as=" + user));
    args.addAll(List.of(flags));
    Kubectl r = kubectl(args.toArray(String[]::new));
    String answer = r.stdout().trim();
    if (!answer.equals("yes") && !answer.equals("no")) {
      throw new IllegalStateException("kubectl auth can-i: " + r.stdout() + r.stderr());
    }
    return answer.equals("yes");
  }

  /** The API server's audit log: JSON lines, one per request of a service account and stage. */
  public Path auditLog() {
    return dir.resolve("audit.log");
  }

  /**
   * One request of a service account, as the audit log records it once answered (a watch also when
   * its answer started).
   *
   * @param user e.g. {@code system:serviceaccount:schemagate-system:schemagate-operator}
   * @param verb the authorization verb: get, list, watch, create, update, patch, delete, ...
   * @param resource e.g. {@code jobs}; null for a request that is not for a resource ({@code
   *     /version})
   * @param subresource e.g. {@code status}; null if none
   * @param code the HTTP status of the answer; 0 when none was recorded
   * @param decision the authorizer's: {@code allow} or {@code forbid} (a 403 of admission, e.g. in
   *     a namespace being deleted, was allowed by the authorizer); null when none was made
   */
  public record AuditEvent(
      String user,
      String userAgent,
      String stage,
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name,
      String requestUri,
      int code,
      String decision) {

    /** {@code resource/subresource}, as RBAC rules name it. */
    public String rbacResource() {
      return subresource == null ? resource : resource + "/" + subresource;
    }

    /** Whether RBAC (the authorizer) refused it. */
    public boolean forbidden() {
      return "forbid".equals(decision);
    }

    /** One line, for failure messages: {@code 403 create batch jobs shop/x}. */
    @Override
    public String toString() {
      return code
          + " "
          + verb
          + " "
          + (apiGroup == null || apiGroup.isEmpty() ? "core" : apiGroup)
          + " "
          + (resource == null ? requestUri : rbacResource())
          + (namespace == null ? "" : " " + namespace + "/")
          + (name == null ? "" : (namespace == null ? " " : "") + name)
          + " ("
          + userAgent
          + ")";
    }
  }

  /** The audit log's events of {@code user} so far, oldest first. */
  public List<AuditEvent> audit(String user) {
    List<AuditEvent> events = new ArrayList<>();
    if (!Files.exists(auditLog())) {
      return events;
    }
    ObjectMapper json = new ObjectMapper();
    try (var lines = Files.lines(auditLog(), StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode e;
        try {
          e = json.readTree(line);
        } catch (JsonProcessingException partial) {
          continue; // the line being written
        }
        if (!user.equals(e.path("user").path("username").asText())) {
          continue;
        }
        JsonNode ref = e.path("objectRef");
        events.add(
            new AuditEvent(
                user,
                text(e.path("userAgent")),
                text(e.path("stage")),
                text(e.path("verb")),
                text(ref.path("apiGroup")),
                text(ref.path("resource")),
                text(ref.path("subresource")),
                text(ref.path("namespace")),
                text(ref.path("name")),
                text(e.path("requestURI")),
                e.path("responseStatus").path("code").asInt(0),
                text(e.path("annotations").path("authorization.k8s.io/decision"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  /** The cluster administrator's kubeconfig (group system:masters). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** {@code kubectl version -o json} as the control plane answered it. */
  public String version() {
    return version;
  }

  /** A client as the cluster administrator; the caller closes it. */
  public KubernetesClient adminClient() {
    return clientFor(kubeconfig);
  }

  /** A client from {@code kubeconfig}; the caller closes it. */
  public static KubernetesClient clientFor(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result of one kubectl command. */
  public record Kubectl(int exitCode, String stdout, String stderr) {}

  /** Runs the control plane's kubectl as the administrator. */
  public Kubectl kubectl(String... args) {
    return kubectl(kubeconfig, null, args);
  }

  /** Runs kubectl with {@code kubeconfig}, {@code stdin} (may be null) on its input. */
  public Kubectl kubectl(Path kubeconfig, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(dir, "kubectl", ".out");
      Path err = Files.createTempFile(dir, "kubectl", ".err");
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not end");
      }
      Kubectl r =
          new Kubectl(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext trusting(Path pem) throws IOException {
    try (var in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("c" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot read " + pem, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public synchronized void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(Duration.ofSeconds(10));
    }
    processes.clear();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary folder; the OS cleans what is left.
    }
  }
}
