package io.schemagate.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD health check of {@code examples/argocd}, run by a real Lua interpreter (Debian's
 * {@code lua5.4}, as Argo CD runs it with gopher-lua) against SchemaMigrations in the shapes the
 * operator writes: Ready is Healthy, Reconciling Progressing, Stalled Degraded, suspended
 * Suspended.
 */
class ArgoCdHealthTest {
  static final Path SCRIPT = Path.of("..", "examples", "argocd", "schemamigration-health.lua");
  static final Path PATCH = Path.of("..", "examples", "argocd", "argocd-cm-patch.yaml");
  static final String LUA = "lua5.4";
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  @TempDir static Path dir;

  @BeforeAll
  static void lua() throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder(LUA, "-v").start().waitFor() == 0;
    } catch (IOException e) {
      present = false;
    }
    assumeTrue(present, "no lua5.4 here (apt-get install lua5.4; .ci/run installs it)");
  }

  @Test
  void readyIsHealthy() throws Exception {
    Health h = health(sm -> status(sm, 2, "7", ready("True", "AtHead", "database at revision 7")));
    assertThat(h).isEqualTo(new Health("Healthy", "AtHead: database at revision 7"));
  }

  @Test
  void reconcilingIsProgressing() throws Exception {
    Health h =
        health(
            sm ->
                status(
                    sm,
                    2,
                    "5",
                    ready("False", "Migrating", ""),
                    condition("Reconciling", "True", "Migrating", "job accounts-1 runs"),
                    condition("Stalled", "False", "Migrating", "")));
    assertThat(h).isEqualTo(new Health("Progressing", "Migrating: job accounts-1 runs"));
  }

  @Test
  void stalledIsDegradedWithItsReason() throws Exception {
    Health h =
        health(
            sm ->
                status(
                    sm,
                    2,
                    "2",
                    ready("False", "MigrationFailed", "V3__broken.sql line 2: ..."),
                    condition("Reconciling", "False", "MigrationFailed", ""),
                    condition("Stalled", "True", "MigrationFailed", "V3__broken.sql line 2: ...")));
    assertThat(h).isEqualTo(new Health("Degraded", "MigrationFailed: V3__broken.sql line 2: ..."));
  }

  @Test
  void suspendedIsSuspended() throws Exception {
    Health h =
        health(
            sm -> {
              sm.getSpec().setSuspend(true);
              status(sm, 2, "7", ready("True", "AtHead", ""));
            });
    assertThat(h.status()).isEqualTo("Suspended");
  }

  @Test
  void aGenerationTheOperatorHasNotSeenIsProgressingEvenWhenTheOldOneWasReady() throws Exception {
    assertThat(health(sm -> status(sm, 1, "7", ready("True", "AtHead", ""))))
        .isEqualTo(new Health("Progressing", "waiting for the operator to reconcile generation 2"));
    assertThat(health(sm -> sm.setStatus(null)).status()).isEqualTo("Progressing");
  }

  @Test
  void theConfigMapPatchCarriesTheSameScript() throws Exception {
    JsonNode patch =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(PATCH.toFile());
    String embedded =
        patch
            .path("data")
            .path("resource.customizations.health.schemagate.io_SchemaMigration")
            .asText();
    assertThat(embedded).isEqualTo(Files.readString(SCRIPT));
  }

  // --- helpers

  record Health(String status, String message) {}

  /** A SchemaMigration at generation 2, edited, judged by the script. */
  static Health health(Consumer<SchemaMigration> edit) throws Exception {
    SchemaMigration sm = Fixtures.migration("shop", "accounts");
    sm.getMetadata().setGeneration(2L);
    edit.accept(sm);
    JsonNode obj = new ObjectMapper().readTree(JSON.asJson(sm));
    Path wrapper = dir.resolve("run.lua");
    Files.writeString(
        wrapper,
        "obj = "
            + lua(obj)
            + "\nlocal check = assert(loadfile("
            + quote(SCRIPT.toAbsolutePath().toString())
            + "))\nlocal hs = check()\nio.write(hs.status, \"\\n\", hs.message or \"\")\n");
    Process p = new ProcessBuilder(LUA, wrapper.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    int nl = out.indexOf('\n');
    return new Health(out.substring(0, nl), out.substring(nl + 1));
  }

  static void status(SchemaMigration sm, long observed, String revision, Condition... cs) {
    SchemaMigrationStatus s = new SchemaMigrationStatus();
    s.setObservedGeneration(observed);
    s.setCurrentRevision(revision);
    s.setConditions(List.of(cs));
    sm.setStatus(s);
  }

  static Condition ready(String status, String reason, String message) {
    return condition("Ready", status, reason, message);
  }

  static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(2L)
        .withLastTransitionTime("2026-12-06T00:00:00Z")
        .build();
  }

  /** JSON as a Lua table constructor, as gopher-lua gives Argo CD's scripts their object. */
  static String lua(JsonNode n) {
    if (n.isObject()) {
      StringBuilder b = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append('[').append(quote(e.getKey())).append("]=").append(lua(e.getValue())).append(',');
      }
      return b.append('}').toString();
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder("{");
      n.forEach(e -> b.append(lua(e)).append(','));
      return b.append('}').toString();
    }
    if (n.isNull()) {
      return "nil";
    }
    if (n.isBoolean() || n.isNumber()) {
      return n.asText();
    }
    return quote(n.asText());
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
