package io.schemagate.sandbox;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server refused in one {@code --apply}, in the words {@code kubectl apply -f} prints
 * for it (kubectl's {@code cmdutil.CheckErr}): a lone refusal for an invalid object is told by
 * kind, name and the server's causes ({@code The SchemaMigration "x" is invalid: spec.timeout:
 * Invalid value: ...}); any other refusal, and each of several, by the server's reason and message
 * with the file it came from ({@code Error from server (NotFound): error when creating "app.yaml":
 * namespaces "shop" not found}).
 */
final class ApplyErrors {
  private ApplyErrors() {}

  /** The report, one or more lines each ending in a newline; empty when nothing was refused. */
  static String report(List<Manifests.Rejection> rejected) {
    if (rejected.size() == 1) {
      return alone(rejected.get(0));
    }
    StringBuilder report = new StringBuilder();
    for (Manifests.Rejection r : rejected) {
      report.append(message(r)).append('\n');
    }
    return report.toString();
  }

  /** kubectl unwraps a lone error, and tells an invalid object by its status details. */
  private static String alone(Manifests.Rejection r) {
    Status status = r.error().getStatus();
    if (status == null || !"Invalid".equals(status.getReason())) {
      String message = message(r);
      return (status == null && !message.startsWith("error: ") ? "error: " : "") + message + "\n";
    }
    StatusDetails details = status.getDetails();
    String sourced = sourced(r, status);
    String s = "The request is invalid";
    if (details == null) {
      return s + (empty(status.getMessage()) ? "" : ": " + sourced) + "\n";
    }
    List<StatusCause> causes = details.getCauses() == null ? List.of() : details.getCauses();
    if (!empty(details.getKind()) || !empty(details.getName())) {
      s =
          "The "
              + nonNull(details.getKind())
              + " \""
              + nonNull(details.getName())
              + "\" is invalid";
    } else if (!empty(status.getMessage()) && causes.isEmpty()) {
      s += ": " + sourced;
    }
    if (causes.isEmpty()) {
      return s + "\n";
    }
    // Duplicates dropped, as kubectl does.
    Set<String> lines = new LinkedHashSet<>();
    for (StatusCause c : causes) {
      lines.add(nonNull(c.getField()) + ": " + nonNull(c.getMessage()));
    }
    if (lines.size() == 1) {
      return s + ": " + lines.iterator().next() + "\n";
    }
    StringBuilder multi = new StringBuilder(s).append(": \n");
    lines.forEach(line -> multi.append("* ").append(line).append('\n'));
    return multi.toString();
  }

  /** One refusal as kubectl's StandardErrorMessage puts it. */
  private static String message(Manifests.Rejection r) {
    Status status = r.error().getStatus();
    if (status == null) {
      return where(r) + oneLine(r.error().getMessage());
    }
    String reason = status.getReason();
    if ("Unauthorized".equals(reason)) {
      return "error: You must be logged in to the server (" + sourced(r, status) + ")";
    }
    return (empty(reason) ? "Error from server: " : "Error from server (" + reason + "): ")
        + sourced(r, status);
  }

  /** The server's message with the file it came from in front, as kubectl's AddSourceToErr. */
  private static String sourced(Manifests.Rejection r, Status status) {
    return where(r) + nonNull(status.getMessage());
  }

  private static String where(Manifests.Rejection r) {
    return "error when " + r.verb() + " \"" + r.item().file() + "\": ";
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }
}
