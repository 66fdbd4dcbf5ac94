package io.schemagate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The words of {@code kubectl apply -f} (1.34's cmdutil.CheckErr) for what the API server refused,
 * on statuses in the shapes the real API server sends; {@code SandboxCommandOnControlPlaneTest}
 * compares the whole against the real kubectl on the real server.
 */
class ApplyErrorsTest {
  private static final Path FILE = Path.of("app.yaml");

  @Test
  void aLoneInvalidObjectIsToldByKindNameAndItsOneCause() {
    Status status =
        invalid(
            "SchemaMigration.schemagate.io \"x\" is invalid: [spec.timeout: Invalid value:"
                + " \"string\": must be between 10s and 168h]",
            "spec.timeout",
            "Invalid value: \"string\": must be between 10s and 168h");

    assertThat(ApplyErrors.report(List.of(rejected("creating", status))))
        .isEqualTo(
            "The SchemaMigration \"x\" is invalid: spec.timeout: Invalid value: \"string\": must be"
                + " between 10s and 168h\n");
  }

  @Test
  void aLoneInvalidObjectWithSeveralCausesListsEachOnceOnItsOwnLine() {
    Status status =
        invalid(
            "SchemaMigration.schemagate.io \"x\" is invalid: [...]",
            "spec.database.lockTimeout",
            "Invalid value: \"object\": must be shorter than spec.timeout",
            "spec.timeout",
            "Invalid value: \"string\": must be between 10s and 168h",
            "spec.timeout",
            "Invalid value: \"string\": must be between 10s and 168h");

    assertThat(ApplyErrors.report(List.of(rejected("updating", status))))
        .isEqualTo(
            """
            The SchemaMigration "x" is invalid:\s
            * spec.database.lockTimeout: Invalid value: "object": must be shorter than spec.timeout
            * spec.timeout: Invalid value: "string": must be between 10s and 168h
            """);
  }

  @Test
  void anyOtherLoneRefusalIsTheServersReasonAndMessageWithTheFile() {
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withReason("NotFound")
            .withCode(404)
            .withMessage("namespaces \"shop\" not found")
            .withNewDetails()
            .withName("shop")
            .withKind("namespaces")
            .endDetails()
            .build();

    assertThat(ApplyErrors.report(List.of(rejected("creating", status))))
        .isEqualTo(
            "Error from server (NotFound): error when creating \"app.yaml\": namespaces \"shop\" not"
                + " found\n");
  }

  @Test
  void severalRefusalsAreOneLineEachWithTheServersMessage() {
    Status invalid =
        invalid(
            "SchemaMigration.schemagate.io \"x\" is invalid: [spec.bundle: Required value]",
            "spec.bundle",
            "Required value");
    Status notFound =
        new StatusBuilder()
            .withReason("NotFound")
            .withCode(404)
            .withMessage("namespaces \"shop\" not found")
            .build();

    assertThat(
            ApplyErrors.report(
                List.of(rejected("creating", invalid), rejected("creating", notFound))))
        .isEqualTo(
            """
            Error from server (Invalid): error when creating "app.yaml": \
            SchemaMigration.schemagate.io "x" is invalid: [spec.bundle: Required value]
            Error from server (NotFound): error when creating "app.yaml": \
            namespaces "shop" not found
            """);
  }

  @Test
  void aFailureWithoutAnAnswerFromTheServerIsAnErrorLine() {
    Manifests.Rejection r =
        new Manifests.Rejection(
            new Manifests.Item(FILE, secret()),
            "retrieving",
            new KubernetesClientException("Connection refused\n  (127.0.0.1:6443)"));

    assertThat(ApplyErrors.report(List.of(r)))
        .isEqualTo(
            "error: error when retrieving \"app.yaml\": Connection refused (127.0.0.1:6443)\n");
    assertThat(ApplyErrors.report(List.of())).isEmpty();
  }

  private static Status invalid(String message, String... fieldsAndMessages) {
    StatusBuilder b =
        new StatusBuilder()
            .withStatus("Failure")
            .withReason("Invalid")
            .withCode(422)
            .withMessage(message);
    var details = b.withNewDetails().withName("x").withGroup("schemagate.io");
    details.withKind("SchemaMigration");
    for (int i = 0; i < fieldsAndMessages.length; i += 2) {
      details
          .addNewCause()
          .withReason("FieldValueInvalid")
          .withField(fieldsAndMessages[i])
          .withMessage(fieldsAndMessages[i + 1])
          .endCause();
    }
    return details.endDetails().build();
  }

  private static Manifests.Rejection rejected(String verb, Status status) {
    return new Manifests.Rejection(
        new Manifests.Item(FILE, secret()), verb, new KubernetesClientException(status));
  }

  private static io.fabric8.kubernetes.api.model.Secret secret() {
    return new SecretBuilder().withNewMetadata().withName("x").endMetadata().build();
  }
}
