package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.testkit.cluster.KubeShapes;
import io.schemagate.testkit.cluster.PodRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a migration pod's runner container as a <em>child process</em>: the image is a {@code
 * --bundle} image served from a local folder, the environment is the container's with its Secret
 * references resolved through the API (and the database URL routed to the sandbox's PostgreSQL),
 * and the termination-message file is a file of the pod's own. An image that is not served or a
 * Secret that is missing keeps the container from starting, with the kubelet's reasons.
 */
final class RunnerProcesses implements PodRunner {
  static final String TERMINATION_LOG = "/dev/termination-log";

  private final KubernetesClient client;
  private final BundleImages images;
  private final DatabaseRouter databases;
  private final Path runnerJar;
  private final Path work;
  private final List<String> extraRunnerArgs;

  RunnerProcesses(
      KubernetesClient client,
      BundleImages images,
      DatabaseRouter databases,
      Path runnerJar,
      Path work,
      List<String> extraRunnerArgs) {
    this.client = client;
    this.images = images;
    this.databases = databases;
    this.runnerJar = runnerJar;
    this.work = work;
    this.extraRunnerArgs = List.copyOf(extraRunnerArgs);
  }

  @Override
  public Started start(Pod pod) throws Exception {
    String ns = pod.getMetadata().getNamespace();
    Container runner = pod.getSpec().getContainers().get(0);
    Path dir = work.resolve(ns).resolve(pod.getMetadata().getName());
    Optional<Path> bundle = images.folder(runner.getImage(), dir.resolve("migrations"));
    if (bundle.isEmpty()) {
      return new CannotStart(
          "ErrImagePull",
          "failed to pull and unpack image \""
              + runner.getImage()
              + "\": not found (the sandbox serves only --bundle images)");
    }
    Map<String, String> env;
    try {
      env = environment(ns, runner);
    } catch (MissingSecret e) {
      return new CannotStart("CreateContainerConfigError", e.getMessage());
    }
    Files.createDirectories(dir);
    Path resultFile = dir.resolve("termination-log");
    ProcessBuilder pb = new ProcessBuilder(command(runner, bundle.get(), resultFile));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("log").toFile());
    return new RunningProcess(pb.start(), resultFile);
  }

  /** The runner's command line: the image's entrypoint, with the bundle folder as /migrations. */
  private List<String> command(Container runner, Path bundle, Path resultFile) {
    List<String> args = new ArrayList<>(runner.getArgs() == null ? List.of() : runner.getArgs());
    args.replaceAll(a -> TERMINATION_LOG.equals(a) ? resultFile.toString() : a);
    args.addAll(extraRunnerArgs);
    if (!args.contains("--location")) {
      args.add("--location");
      args.add(bundle.toString());
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(runnerJar.toString());
    command.addAll(args);
    return command;
  }

  private Map<String, String> environment(String ns, Container runner) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (EnvVar v : runner.getEnv() == null ? List.<EnvVar>of() : runner.getEnv()) {
      if (v.getValue() != null) {
        env.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
        env.put(v.getName(), secretValue(ns, v.getValueFrom().getSecretKeyRef()));
      }
    }
    String url = env.get(SchemaGateApi.URL_ENV);
    if (url != null) {
      env.put(
          SchemaGateApi.URL_ENV,
          databases.route(
              url, env.get(SchemaGateApi.USER_ENV), env.get(SchemaGateApi.PASSWORD_ENV)));
    }
    return env;
  }

  private String secretValue(String ns, SecretKeySelector ref) throws MissingSecret {
    Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
    if (secret == null) {
      throw new MissingSecret("secret \"" + ref.getName() + "\" not found");
    }
    String value = null;
    if (secret.getData() != null && secret.getData().get(ref.getKey()) != null) {
      value =
          new String(
              Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
              StandardCharsets.UTF_8);
    } else if (secret.getStringData() != null) {
      value = secret.getStringData().get(ref.getKey());
    }
    if (value == null) {
      throw new MissingSecret(
          "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
    }
    return value;
  }

  /** The runner process of one pod. */
  private static final class RunningProcess implements Running {
    private final Process process;
    private final Path resultFile;

    RunningProcess(Process process, Path resultFile) {
      this.process = process;
      this.resultFile = resultFile;
    }

    @Override
    public Optional<Exit> await(Duration timeout) throws InterruptedException {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? Optional.of(exit())
          : Optional.empty();
    }

    @Override
    public Exit stop(Duration grace) throws InterruptedException {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
      return exit();
    }

    private Exit exit() {
      return new Exit(process.exitValue(), terminationMessage());
    }

    private String terminationMessage() {
      try {
        if (!Files.exists(resultFile)) {
          return null;
        }
        byte[] bytes = Files.readAllBytes(resultFile);
        int n = Math.min(bytes.length, KubeShapes.TERMINATION_MESSAGE_LIMIT);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** A Secret or key a pod's environment names does not exist: the container cannot start. */
  private static final class MissingSecret extends Exception {
    MissingSecret(String message) {
      super(message);
    }
  }
}
