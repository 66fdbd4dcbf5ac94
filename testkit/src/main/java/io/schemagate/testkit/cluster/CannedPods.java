package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link PodRunner} that runs nothing: each pod "exits" the way {@code outcomes} says for it, at
 * once, or runs until it is stopped. For the operator's tests, where the runner's behaviour is the
 * input, not the subject.
 */
public final class CannedPods implements PodRunner {
  /** What the runner "did" in one pod. */
  public sealed interface Outcome {
    /** Exited 0 with {@code resultJson} as its termination message. */
    static Outcome succeeded(String resultJson) {
      return new Exited(new Exit(0, resultJson));
    }

    /** Exited with {@code exitCode} and {@code resultJson} (null: no message). */
    static Outcome failed(int exitCode, String resultJson) {
      return new Exited(new Exit(exitCode, resultJson));
    }

    /** Runs until stopped (the Job's deadline, a deletion); then exits 143 without a result. */
    static Outcome running() {
      return new RunsUntilStopped();
    }

    /** Cannot start, as when its Secret is missing. */
    static Outcome cannotStart(String reason, String message) {
      return new NeverStarts(reason, message);
    }
  }

  record Exited(Exit exit) implements Outcome {}

  record RunsUntilStopped() implements Outcome {}

  record NeverStarts(String reason, String message) implements Outcome {}

  private final Function<Pod, Outcome> outcomes;

  public CannedPods(Function<Pod, Outcome> outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public Started start(Pod pod) {
    Outcome outcome = outcomes.apply(pod);
    if (outcome instanceof NeverStarts n) {
      return new CannotStart(n.reason(), n.message());
    }
    if (outcome instanceof Exited e) {
      return new Ended(e.exit());
    }
    return new Endless();
  }

  private record Ended(Exit exit) implements Running {
    @Override
    public Optional<Exit> await(Duration timeout) {
      return Optional.of(exit);
    }

    @Override
    public Exit stop(Duration grace) {
      return exit;
    }
  }

  private static final class Endless implements Running {
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Optional<Exit> await(Duration timeout) throws InterruptedException {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? Optional.of(new Exit(143, null))
          : Optional.empty();
    }

    @Override
    public Exit stop(Duration grace) {
      stopped.countDown();
      return new Exit(143, null);
    }
  }
}
