package io.schemagate.operator.migration;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.schemagate.api.v1alpha1.Reason;
import io.schemagate.operator.kube.SafeText;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an exception that ended a reconciliation means for the SchemaMigration's status: the one
 * place that gives such an exception a reason and a short message (one line, no stack trace, URL
 * credentials removed). A Kubernetes API request that failed is {@code KubernetesApiError};
 * anything else is a fault of the operator, {@code InternalError}. Both are retried with backoff: a
 * refusal may be lifted (RBAC, a quota), and a fault may depend on a state that passes.
 */
public record ReconcileFailure(Reason reason, String message) {
  // fabric8 names the request only in its message: "Failure executing: POST at: https://...".
  private static final Pattern REQUEST =
      Pattern.compile("(?:Failure|Error) executing: ([A-Z]+) at: (\\S+?)\\.?(?:\\s|$)");
  private static final Map<Integer, String> STATUS_TEXT =
      Map.of(
          400, "Bad Request",
          401, "Unauthorized",
          403, "Forbidden",
          404, "Not Found",
          409, "Conflict",
          422, "Unprocessable Entity",
          429, "Too Many Requests",
          500, "Internal Server Error",
          503, "Service Unavailable",
          504, "Gateway Timeout");

  /**
   * The failure an exception stands for; empty when it is none the user should see: the status
   * changed while reconciling, and the next reconciliation, on the new status, follows at once.
   */
  public static Optional<ReconcileFailure> of(Exception e) {
    if (e instanceof StatusWriter.StaleStatusException) {
      return Optional.empty();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return Optional.of(new ReconcileFailure(Reason.KubernetesApiError, apiMessage(k)));
      }
    }
    String what =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return Optional.of(
        new ReconcileFailure(
            Reason.InternalError,
            SafeText.of("the operator failed: " + what + " (details in the operator's log)")));
  }

  /** E.g. {@code POST /apis/batch/v1/namespaces/shop/jobs: HTTP 403 Forbidden: <the server's>}. */
  private static String apiMessage(KubernetesClientException e) {
    StringBuilder m = new StringBuilder("Kubernetes API request ");
    Matcher request = REQUEST.matcher(String.valueOf(e.getMessage()));
    m.append(request.find() ? request.group(1) + " " + path(request.group(2)) : "failed");
    int code = e.getCode();
    if (code <= 0) {
      Throwable cause = e.getCause();
      m.append(": no answer from the API server");
      if (cause != null && cause.getMessage() != null) {
        m.append(" (").append(cause.getMessage()).append(')');
      }
      return SafeText.of(m.toString());
    }
    m.append(": HTTP ").append(code);
    Status status = e.getStatus();
    String reason = status == null ? null : status.getReason();
    String text = reason != null && !reason.isEmpty() ? reason : STATUS_TEXT.get(code);
    if (text != null) {
      m.append(' ').append(text);
    }
    if (status != null && status.getMessage() != null && !status.getMessage().isEmpty()) {
      m.append(": ").append(status.getMessage());
    }
    return SafeText.of(m.toString());
  }

  /** The request's path: the API server's address says nothing the user can act on. */
  private static String path(String url) {
    try {
      String path = URI.create(url).getRawPath();
      return path == null || path.isEmpty() ? url : path;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }
}
