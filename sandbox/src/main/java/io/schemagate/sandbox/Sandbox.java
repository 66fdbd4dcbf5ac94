package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.operator.CommonPool;
import io.schemagate.sandbox.cluster.BundleImages;
import io.schemagate.sandbox.cluster.SandboxCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make sandbox}: applies manifests to a local sandbox cluster, as {@code kubectl apply}
 * would, waits after each for every SchemaMigration to settle, and prints the final state.
 */
public final class Sandbox {
  static final String USAGE =
      """
      usage: sandbox --apply PATH ... --bundle IMAGE=DIR ... [--wait-seconds N]
                     [--output table|yaml|json] [--runner-jar PATH]
        --apply PATH            manifests (a file or a folder of *.yaml/*.yml), applied in order;
                                each is waited on before the next
        --bundle IMAGE=DIR      serve a bundle image reference from a local migrations folder
        --wait-seconds N        wait at most N s per --apply for every SchemaMigration to be
                                Ready or Stalled at its current generation (default 120)
        --output FORMAT         final state: table (default; what kubectl get smig -o wide shows),
                                yaml or json ({"schemaMigrations": [...], "deployments": [...]})
        --runner-jar PATH       default migrations-image/target/schemagate-runner.jar
        --help                  this text
      exit code: 0 every SchemaMigration Ready, 1 not, 2 a mistake in the arguments or manifests
      """;

  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureParallelism();
    System.exit(execute(args, System.out, System.err));
  }

  /**
   * The command: 0 when every SchemaMigration ended Ready, 1 otherwise, 2 for a mistake in the
   * arguments or the manifests, which is told in one line before anything starts.
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
    }
  }

  /** Runs the sandbox; returns 0 when every SchemaMigration ended Ready, 1 otherwise. */
  static int run(Options o, PrintStream out, PrintStream err) throws Exception {
    // Every manifest is read before anything starts: a mistake in the last costs no wait.
    List<List<HasMetadata>> batches = new ArrayList<>();
    for (Path path : o.apply) {
      batches.add(Manifests.read(path));
    }
    SandboxCluster.Builder builder = SandboxCluster.builder(o.runnerJar);
    o.bundles.forEach(builder::bundle);
    try (SandboxCluster cluster = builder.start();
        var events = printEvents(cluster.client(), err)) {
      KubernetesClient client = cluster.client();
      Manifests manifests = new Manifests(client);
      for (int i = 0; i < batches.size(); i++) {
        Path path = o.apply.get(i);
        List<HasMetadata> applied = manifests.apply(batches.get(i));
        err.println("sandbox: applied " + applied.size() + " objects from " + path);
        boolean settled = Settle.await(client, Duration.ofSeconds(o.waitSeconds));
        if (!settled) {
          err.println("sandbox: not every SchemaMigration settled within " + o.waitSeconds + " s");
        }
      }
      List<SchemaMigration> all =
          client.resources(SchemaMigration.class).inAnyNamespace().list().getItems();
      List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
      switch (o.output) {
        case "json" ->
            out.println(client.getKubernetesSerialization().asJson(document(all, deployments)));
        case "yaml" ->
            out.print(client.getKubernetesSerialization().asYaml(document(all, deployments)));
        default -> out.print(Table.of(all));
      }
      return all.stream().allMatch(Settle::ready) ? 0 : 1;
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

  private static Map<String, Object> document(
      List<SchemaMigration> all, List<Deployment> deployments) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schemaMigrations", all);
    doc.put("deployments", deployments);
    return doc;
  }

  /** The command line. */
  record Options(
      List<Path> apply, List<String> bundles, int waitSeconds, String output, Path runnerJar) {

    static Options parse(String[] args) {
      List<Path> apply = new ArrayList<>();
      List<String> bundles = new ArrayList<>();
      int wait = 120;
      String output = "table";
      Path jar = Path.of("migrations-image/target/schemagate-runner.jar");
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
          case "--runner-jar" -> jar = Path.of(value(args, ++i, a));
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
      return new Options(apply, bundles, wait, output, jar.toAbsolutePath());
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
