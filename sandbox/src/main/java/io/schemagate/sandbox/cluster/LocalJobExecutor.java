package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.api.SchemaGateApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the Job controller and the kubelet: for every new Job it creates the pod, starts
 * the runner <em>as a child process</em> with the pod's environment (Secrets resolved from the
 * API), kills it at the Job's deadline, and writes pod and Job status in the shapes the real
 * kubelet and Job controller write (container states, termination message, Job conditions, the
 * {@code batch.kubernetes.io/job-name} label). A pod that could not start (missing Secret, image
 * not found) waits, as on a real node, until its Job is deleted or its deadline passes.
 */
public final class LocalJobExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobExecutor.class);

  /** The kubelet keeps at most this much of a termination message. */
  static final int TERMINATION_MESSAGE_LIMIT = 4096;

  static final String TERMINATION_LOG = "/dev/termination-log";

  private final KubernetesClient client;
  private final BundleImages images;
  private final DatabaseRouter databases;
  private final Path runnerJar;
  private final Path work;
  private final Duration gracePeriod;
  private final List<String> extraRunnerArgs;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();
  private final ClusterStatus status;
  private final Watch watch;

  public LocalJobExecutor(
      KubernetesClient client,
      BundleImages images,
      DatabaseRouter databases,
      Path runnerJar,
      Path work,
      Clock clock,
      Duration gracePeriod,
      List<String> extraRunnerArgs) {
    this.client = client;
    this.images = images;
    this.databases = databases;
    this.runnerJar = runnerJar;
    this.work = work;
    this.gracePeriod = gracePeriod;
    this.extraRunnerArgs = List.copyOf(extraRunnerArgs);
    this.status = new ClusterStatus(client, clock);
    this.watch =
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    String key = key(job);
                    if (action == Action.ADDED && started.putIfAbsent(key, true) == null) {
                      threads.submit(() -> runSafely(job));
                    } else if (action == Action.DELETED) {
                      Process p = running.remove(key);
                      if (p != null) {
                        p.destroyForcibly();
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    if (cause != null) {
                      LOG.warn("Job watch closed: {}", cause.getMessage());
                    }
                  }
                });
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "sandbox-kubelet");
      t.setDaemon(true);
      return t;
    };
  }

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  /** How many runner processes are alive now. */
  public int runningProcesses() {
    return (int) running.values().stream().filter(Process::isAlive).count();
  }

  private void runSafely(Job job) {
    try {
      run(job);
    } catch (KubernetesClientException e) {
      // The Job or pod was deleted under us: nothing left to report to.
      LOG.debug("{}: {}", key(job), e.getMessage());
    } catch (Exception e) {
      LOG.warn("{}: the sandbox could not run this Job: {}", key(job), e.toString());
    }
  }

  private void run(Job job) throws Exception {
    String ns = job.getMetadata().getNamespace();
    String jobName = job.getMetadata().getName();
    long startNanos = System.nanoTime();
    status.markJobActive(ns, jobName);
    Pod pod = status.createPod(job);
    String podName = pod.getMetadata().getName();
    Container runner = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    long deadlineSeconds =
        Optional.ofNullable(job.getSpec().getActiveDeadlineSeconds()).orElse(Long.MAX_VALUE / 4);
    long deadlineNanos = startNanos + TimeUnit.SECONDS.toNanos(deadlineSeconds);

    Optional<Path> bundle = images.folder(runner.getImage());
    if (bundle.isEmpty()) {
      status.waiting(
          ns,
          podName,
          runner,
          "ErrImagePull",
          "failed to pull and unpack image \""
              + runner.getImage()
              + "\": not found (the sandbox serves only --bundle images)");
      waitForDeadline(ns, jobName, podName, deadlineNanos);
      return;
    }
    Map<String, String> env;
    try {
      env = environment(ns, runner);
    } catch (MissingSecret e) {
      status.waiting(ns, podName, runner, "CreateContainerConfigError", e.getMessage());
      waitForDeadline(ns, jobName, podName, deadlineNanos);
      return;
    }

    Path dir = Files.createDirectories(work.resolve(ns).resolve(jobName));
    Path resultFile = dir.resolve("termination-log");
    List<String> command = command(runner, bundle.get(), resultFile);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("log").toFile());
    Process process = pb.start();
    running.put(ns + "/" + jobName, process);
    status.podRunning(ns, podName, runner);

    boolean deadline = false;
    long remaining = deadlineNanos - System.nanoTime();
    if (!process.waitFor(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
      deadline = true;
      // As the Job controller does at the deadline: delete the pod, which gets SIGTERM, then
      // SIGKILL after its grace period.
      process.destroy();
      if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
    running.remove(ns + "/" + jobName);
    if (status.job(ns, jobName) == null) {
      return; // deleted while it ran
    }
    int exit = process.exitValue();
    String message = terminationMessage(resultFile);
    status.podTerminated(ns, podName, runner, exit, message);
    if (deadline) {
      status.jobFailed(
          ns, jobName, "DeadlineExceeded", "Job was active longer than specified deadline");
    } else if (exit == 0) {
      status.jobSucceeded(ns, jobName);
    } else {
      status.jobFailed(
          ns,
          jobName,
          "PodFailurePolicy",
          "Container "
              + runner.getName()
              + " for pod "
              + ns
              + "/"
              + podName
              + " failed with exit code "
              + exit
              + " matching FailJob rule at index 1");
    }
  }

  /** The runner's command line: the image's entrypoint, with the bundle folder as /migrations. */
  private List<String> command(Container runner, Path bundle, Path resultFile) {
    List<String> args = new ArrayList<>(runner.getArgs() == null ? List.of() : runner.getArgs());
    for (int i = 0; i < args.size(); i++) {
      if (TERMINATION_LOG.equals(args.get(i))) {
        args.set(i, resultFile.toString());
      }
    }
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
    List<EnvVar> vars = runner.getEnv() == null ? List.of() : runner.getEnv();
    for (EnvVar v : vars) {
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

  /** A pod that cannot start stays waiting until its Job is deleted or its deadline passes. */
  private void waitForDeadline(String ns, String jobName, String podName, long deadlineNanos)
      throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      if (status.job(ns, jobName) == null) {
        return;
      }
      Thread.sleep(200);
    }
    if (status.job(ns, jobName) != null) {
      client.pods().inNamespace(ns).withName(podName).delete();
      status.jobFailed(
          ns, jobName, "DeadlineExceeded", "Job was active longer than specified deadline");
    }
  }

  private static String terminationMessage(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(file);
    int n = Math.min(bytes.length, TERMINATION_MESSAGE_LIMIT);
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    watch.close();
    running.values().forEach(Process::destroyForcibly);
    threads.shutdownNow();
  }

  /** A Secret or key a pod's environment names does not exist: the container cannot start. */
  private static final class MissingSecret extends Exception {
    MissingSecret(String message) {
      super(message);
    }
  }
}
