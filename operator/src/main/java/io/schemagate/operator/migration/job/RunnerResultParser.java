package io.schemagate.operator.migration.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.operator.kube.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the runner's result from a termination message. Anything that is not a result with a status
 * (and, when failed, an error reason) reads as no result at all: the caller reports ResultMissing
 * rather than guessing from half a document.
 */
final class RunnerResultParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunnerResultParser() {}

  static Optional<RunnerResult> parse(String terminationMessage) {
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(terminationMessage);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    String status = text(root, "status");
    boolean succeeded = "Succeeded".equals(status);
    if (!succeeded && !"Failed".equals(status)) {
      return Optional.empty();
    }
    RunnerResult.RunnerError error = error(root.get("error"));
    if (!succeeded && error == null) {
      return Optional.empty();
    }
    JsonNode omitted = root.path("omitted");
    return Optional.of(
        new RunnerResult(
            text(root, "command"),
            succeeded,
            text(root, "currentRevision"),
            text(root, "headRevision"),
            text(root, "targetRevision"),
            // Not asserted is not known: null would otherwise read as "an empty database".
            root.path("stateKnown").asBoolean(false),
            root.path("appliedCount").asInt(0),
            root.path("pendingCount").asInt(0),
            strings(root.get("pending"), false),
            omitted.path("pending").asInt(0),
            strings(root.get("future"), false),
            omitted.path("future").asInt(0),
            root.path("durationMs").asLong(0),
            strings(root.get("warnings"), true),
            omitted.path("warnings").asInt(0),
            succeeded ? null : error));
  }

  private static RunnerResult.RunnerError error(JsonNode node) {
    if (node == null || !node.isObject() || text(node, "reason") == null) {
      return null;
    }
    JsonNode line = node.get("line");
    return new RunnerResult.RunnerError(
        text(node, "reason"),
        SafeText.of(text(node, "message")),
        text(node, "version"),
        text(node, "file"),
        line != null && line.canConvertToInt() ? line.asInt() : null,
        text(node, "sqlState"),
        node.path("partial").asBoolean(false));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }

  private static List<String> strings(JsonNode array, boolean freeText) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode item : array) {
        if (item.isValueNode() && !item.isNull()) {
          out.add(freeText ? SafeText.of(item.asText()) : item.asText());
        }
      }
    }
    return out;
  }
}
