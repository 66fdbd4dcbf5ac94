package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.operator.kube.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Why a migration pod's containers cannot start, read from the kubelet's waiting reasons: a missing
 * credentials Secret or key, or an image that cannot be pulled. The kubelet retries these forever,
 * so the attempt would otherwise sit until its deadline.
 */
record StartFailure(Reason reason, String message) {
  private static final Set<String> IMAGE_PULL_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  // The kubelet's words: `secret "x" not found`, `couldn't find key k in Secret ns/x`.
  private static final Pattern MISSING_SECRET =
      Pattern.compile("secrets? \"[^\"]*\" not found|couldn't find key .* in Secret ");

  /** The first start failure of the pod's containers, sidecars first, as they start first. */
  static Optional<StartFailure> of(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    if (status.getInitContainerStatuses() != null) {
      statuses.addAll(status.getInitContainerStatuses());
    }
    if (status.getContainerStatuses() != null) {
      statuses.addAll(status.getContainerStatuses());
    }
    for (ContainerStatus container : statuses) {
      ContainerStateWaiting waiting =
          container.getState() == null ? null : container.getState().getWaiting();
      if (waiting != null) {
        Optional<StartFailure> failure = of(container.getName(), waiting);
        if (failure.isPresent()) {
          return failure;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<StartFailure> of(String container, ContainerStateWaiting waiting) {
    String reason = waiting.getReason();
    String detail = waiting.getMessage() == null ? "" : ": " + waiting.getMessage();
    if (IMAGE_PULL_REASONS.contains(reason)) {
      return Optional.of(
          new StartFailure(
              Reason.ImagePullFailed,
              SafeText.of(
                  "container " + container + " cannot pull its image (" + reason + ")" + detail)));
    }
    if ("CreateContainerConfigError".equals(reason)
        && waiting.getMessage() != null
        && MISSING_SECRET.matcher(waiting.getMessage()).find()) {
      return Optional.of(
          new StartFailure(
              Reason.SecretNotFound,
              SafeText.of("container " + container + " cannot start" + detail)));
    }
    return Optional.empty();
  }
}
