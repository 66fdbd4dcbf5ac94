package io.schemagate.runner;

import io.schemagate.runner.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one runner command, written as the result JSON of DESIGN.md. Commands fill it in
 * as they learn things, so a failure still reports what was known (current revision, what was
 * applied before the failure).
 */
public final class RunResult {
  /** The compact form written to the result file (termination message) stays below this. */
  public static final int COMPACT_LIMIT_BYTES = 2048;

  static final int MESSAGE_LIMIT_BYTES = 500;

  /** One migration applied (or undone) by this run. */
  public record Applied(String version, String description, long durationMs) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", version);
      m.put("description", description);
      m.put("durationMs", durationMs);
      return m;
    }
  }

  private final String command;
  private String currentRevision;
  private String headRevision;
  private String targetRevision;
  private boolean stateKnown;
  private final List<Applied> applied = new ArrayList<>();
  private final List<String> pending = new ArrayList<>();
  private final List<String> future = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private long durationMs;
  private Reason errorReason;
  private String errorMessage;
  private FailureDetail errorDetail = FailureDetail.NONE;

  public RunResult(String command) {
    this.command = command;
  }

  public String command() {
    return command;
  }

  public boolean succeeded() {
    return errorReason == null;
  }

  public Reason errorReason() {
    return errorReason;
  }

  public String errorMessage() {
    return errorMessage;
  }

  public FailureDetail errorDetail() {
    return errorDetail;
  }

  public int exitCode() {
    return errorReason == null ? 0 : errorReason.exitCode();
  }

  public String currentRevision() {
    return currentRevision;
  }

  public String headRevision() {
    return headRevision;
  }

  public String targetRevision() {
    return targetRevision;
  }

  /**
   * Whether {@code currentRevision}, {@code pending} and {@code future} are the database's state
   * after the command, read back from the history table; false when the command never read it (a
   * configuration error, an unreachable database) or could not read it again at the end.
   */
  public boolean stateKnown() {
    return stateKnown;
  }

  public List<Applied> applied() {
    return applied;
  }

  public List<String> pending() {
    return pending;
  }

  public List<String> future() {
    return future;
  }

  public List<String> warnings() {
    return warnings;
  }

  /** Command-specific fields (info's migration list, lint's findings, ...), in output order. */
  public Map<String, Object> extra() {
    return extra;
  }

  public long durationMs() {
    return durationMs;
  }

  public RunResult currentRevision(String v) {
    this.currentRevision = v;
    return this;
  }

  public RunResult headRevision(String v) {
    this.headRevision = v;
    return this;
  }

  public RunResult targetRevision(String v) {
    this.targetRevision = v;
    return this;
  }

  public RunResult stateKnown(boolean known) {
    this.stateKnown = known;
    return this;
  }

  public RunResult durationMs(long ms) {
    this.durationMs = ms;
    return this;
  }

  /** The migrations this run applied, as the history table shows them after it. */
  public RunResult applied(List<Applied> rows) {
    applied.clear();
    applied.addAll(rows);
    return this;
  }

  public RunResult pending(List<String> versions) {
    pending.clear();
    pending.addAll(versions);
    return this;
  }

  public RunResult future(List<String> versions) {
    future.clear();
    future.addAll(versions);
    return this;
  }

  public RunResult warn(String warning) {
    warnings.add(warning);
    return this;
  }

  public RunResult put(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  public RunResult fail(Reason reason, String message, FailureDetail detail) {
    this.errorReason = reason;
    this.errorMessage = message;
    this.errorDetail = detail == null ? FailureDetail.NONE : detail;
    return this;
  }

  /** Applies the redactor to every free-text field, so no credential can leave the process. */
  public void redact(Redactor redactor) {
    errorMessage = redactor.redact(errorMessage);
    warnings.replaceAll(redactor::redact);
  }

  /** The full result, as printed on stdout with {@code --output json}. */
  public String toJson() {
    return Json.write(toMap(Integer.MAX_VALUE, false));
  }

  /**
   * The compact result for the result file: under {@link #COMPACT_LIMIT_BYTES}. Lists are cut
   * (their dropped counts reported under {@code omitted}); status and error are always kept.
   */
  public String toCompactJson() {
    int keep = 20;
    while (true) {
      String json = Json.write(toMap(keep, true));
      if (json.getBytes(StandardCharsets.UTF_8).length < COMPACT_LIMIT_BYTES || keep == 0) {
        return json;
      }
      keep = keep > 4 ? keep / 2 : keep - 1;
    }
  }

  private Map<String, Object> toMap(int keep, boolean compact) {
    Map<String, Integer> omitted = new LinkedHashMap<>();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", succeeded() ? "Succeeded" : "Failed");
    m.put("currentRevision", currentRevision);
    m.put("headRevision", headRevision);
    m.put("targetRevision", targetRevision);
    m.put("stateKnown", stateKnown);
    m.put("appliedCount", applied.size());
    m.put("pendingCount", pending.size());
    m.put("durationMs", durationMs);
    m.put("applied", cut("applied", applied.stream().map(Applied::toMap).toList(), keep, omitted));
    m.put("pending", cut("pending", pending, keep, omitted));
    m.put("future", cut("future", future, keep, omitted));
    m.put("warnings", cut("warnings", capEach(warnings, compact ? 200 : 2000), keep, omitted));
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      Object v = e.getValue();
      m.put(e.getKey(), v instanceof List<?> l ? cut(e.getKey(), l, keep, omitted) : v);
    }
    if (!omitted.isEmpty()) {
      m.put("omitted", omitted);
    }
    m.put("error", errorMap());
    return m;
  }

  private Map<String, Object> errorMap() {
    if (errorReason == null) {
      return null;
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("reason", errorReason.name());
    e.put("message", capBytes(errorMessage, MESSAGE_LIMIT_BYTES));
    e.put("version", errorDetail.version());
    e.put("file", errorDetail.file());
    e.put("line", errorDetail.line());
    e.put("sqlState", errorDetail.sqlState());
    e.put("partial", errorDetail.partial());
    return e;
  }

  private static <T> List<T> cut(
      String name, List<T> list, int keep, Map<String, Integer> omitted) {
    if (list.size() <= keep) {
      return list;
    }
    omitted.put(name, list.size() - keep);
    return list.subList(0, keep);
  }

  private static List<String> capEach(List<String> list, int bytes) {
    return list.stream().map(s -> capBytes(s, bytes)).toList();
  }

  /**
   * Cuts text so that, written as a JSON string, it takes at most {@code limit} UTF-8 bytes (an
   * escaped control character counts its six bytes), on a character boundary, marking the cut.
   */
  static String capBytes(String s, int limit) {
    if (s == null || jsonBytes(s) <= limit) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = jsonBytes(new String(Character.toChars(cp)));
      if (bytes + n > limit - 3) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.append("...").toString();
  }

  /** The UTF-8 size of {@code s} inside a JSON string, without the quotes. */
  private static int jsonBytes(String s) {
    return Json.write(s).getBytes(StandardCharsets.UTF_8).length - 2;
  }
}
