package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;

/**
 * How the stand-in kubelet runs a pod's main container: a canned outcome in the operator's tests,
 * the runner as a child process in the sandbox.
 */
public interface PodRunner {
  /**
   * Starts the pod's main container, says why it cannot start, or says it is not one to run (an
   * app's pod, which the kubelet just reports Running and Ready).
   */
  Started start(Pod pod) throws Exception;

  /** What {@link #start} did. */
  sealed interface Started permits Running, CannotStart, NotRun {}

  /** The container cannot start: the kubelet's waiting reason and message. */
  record CannotStart(String reason, String message) implements Started {}

  /** Nothing to run: the pod is reported Running and Ready as it is. */
  record NotRun() implements Started {}

  /** A container that runs. */
  non-sealed interface Running extends Started {
    /** Waits up to {@code timeout} for the container to end; empty while it still runs. */
    Optional<Exit> await(Duration timeout) throws InterruptedException;

    /**
     * Stops it as the kubelet stops a deleted pod's container: SIGTERM, then SIGKILL once {@code
     * grace} has passed; returns how it ended.
     */
    Exit stop(Duration grace) throws InterruptedException;
  }

  /** How a container ended: its exit code and what it left in its termination-message file. */
  record Exit(int code, String terminationMessage) {}
}
