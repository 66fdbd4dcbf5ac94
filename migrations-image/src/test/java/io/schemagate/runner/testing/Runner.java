package io.schemagate.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.schemagate.runner.cli.RunnerCli;
import io.schemagate.runner.cli.RunnerContext;
import io.schemagate.runner.engine.StatementCanceller;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the runner's command line in this JVM against one database, as a user would call it. */
public final class Runner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env = new HashMap<>();
  private final String location;

  public Runner(TestDatabase db, Bundle bundle) {
    this(db.url(), db.user(), db.password(), bundle.location());
  }

  public Runner(String url, String user, String password, String location) {
    env.put("SCHEMAGATE_URL", url);
    env.put("SCHEMAGATE_USER", user);
    if (password != null) {
      env.put("SCHEMAGATE_PASSWORD", password);
    }
    this.location = location;
  }

  /** The outcome of one command. */
  public record Run(int exitCode, String stdout, String stderr, JsonNode json) {
    public String reason() {
      return json.path("error").path("reason").asText(null);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  /** Runs {@code command args... --location <bundle> --output json}. */
  public Run run(String command, String... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of(args));
    all.add("--location");
    all.add(location);
    all.add("--output");
    all.add("json");
    return raw(all.toArray(String[]::new));
  }

  /** Runs exactly these arguments. */
  public Run raw(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code =
          RunnerCli.execute(
              new RunnerContext(Map.copyOf(env), o, e, new StatementCanceller()), args);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    JsonNode json = null;
    if (stdout.trim().startsWith("{")) {
      try {
        json = JSON.readTree(stdout);
      } catch (Exception ex) {
        throw new AssertionError("stdout is not one JSON object: " + stdout, ex);
      }
    }
    return new Run(code, stdout, err.toString(StandardCharsets.UTF_8), json);
  }
}
