package io.schemagate.operator.gate;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gate at admission ({@code /mutate-deployments}): for a Deployment being created or updated,
 * decides its gate ({@link GateDecision}) and answers with the JSON patch of its hold ({@link
 * Hold}), so that a Deployment whose schema is not there yet is stored paused and no ReplicaSet
 * starts first. Requests of the operator's own account pass untouched (the reconciler's own
 * releases must not be held again). Always allows: the gate pauses, it never refuses.
 *
 * <p>Pure apart from reading SchemaMigrations through {@link Migrations} (the operator's informer
 * cache); it records nothing, so the caller emits Events (never for a dry run) from its {@link
 * Outcome}.
 */
public final class GateAdmission {
  /** Where SchemaMigrations are read: null when there is none of that name. */
  @FunctionalInterface
  public interface Migrations {
    SchemaMigration get(String namespace, String name);
  }

  /** A request the webhook cannot answer: not an AdmissionReview with a request and a uid. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /**
   * What the review decided.
   *
   * @param response the AdmissionReview to send back
   * @param gate the gate of the Deployment; null when the request was not one to gate (another
   *     kind, a delete, the operator's own request)
   * @param hold what the patch does to the hold ({@link Hold#KEEP}: no patch)
   * @param dryRun whether the request is a dry run (then: no Events, no metrics)
   * @param deployment the Deployment as the request submitted it (before the patch); null when the
   *     request was not one to gate
   * @param migration the SchemaMigration its gate label names, as read; null when there is none
   */
  public record Outcome(
      AdmissionReview response,
      GateDecision gate,
      Hold hold,
      boolean dryRun,
      String namespace,
      String name,
      Deployment deployment,
      SchemaMigration migration) {}

  private final String operatorUser;
  private final Migrations migrations;
  private final KubernetesSerialization json;

  /**
   * @param operatorUser the operator's own user name ({@code
   *     system:serviceaccount:<namespace>:<account>}), whose requests pass untouched
   */
  public GateAdmission(String operatorUser, Migrations migrations, KubernetesSerialization json) {
    this.operatorUser = Objects.requireNonNull(operatorUser);
    this.migrations = Objects.requireNonNull(migrations);
    this.json = Objects.requireNonNull(json);
  }

  /** Reviews one AdmissionReview as the API server sent it (JSON). */
  public Outcome review(String body) throws Invalid {
    AdmissionReview in;
    try {
      in = json.unmarshal(body, AdmissionReview.class);
    } catch (RuntimeException e) {
      throw new Invalid("the request body is not an AdmissionReview");
    }
    return review(in);
  }

  /** Reviews one AdmissionReview. */
  public Outcome review(AdmissionReview in) throws Invalid {
    AdmissionRequest request = in == null ? null : in.getRequest();
    if (request == null || request.getUid() == null || request.getUid().isBlank()) {
      throw new Invalid("the AdmissionReview has no request or no request uid");
    }
    boolean dryRun = Boolean.TRUE.equals(request.getDryRun());
    String namespace = request.getNamespace();
    String name = request.getName();
    String operation = request.getOperation();
    boolean deployment =
        request.getKind() != null
            && "apps".equals(request.getKind().getGroup())
            && "Deployment".equals(request.getKind().getKind());
    boolean ownRequest =
        request.getUserInfo() != null && operatorUser.equals(request.getUserInfo().getUsername());
    if (!deployment
        || ownRequest
        || !("CREATE".equals(operation) || "UPDATE".equals(operation))
        || request.getObject() == null) {
      return new Outcome(
          allow(in, request, null), null, Hold.KEEP, dryRun, namespace, name, null, null);
    }
    Deployment d;
    try {
      d = json.convertValue(request.getObject(), Deployment.class);
    } catch (RuntimeException e) {
      throw new Invalid("the request's object is not a Deployment");
    }
    if (d.getMetadata() == null) {
      throw new Invalid("the request's Deployment has no metadata");
    }
    if (name == null) {
      name = d.getMetadata().getName(); // generateName: the name comes later
    }
    if (namespace == null) {
      namespace = d.getMetadata().getNamespace();
    }
    Map<String, String> labels = d.getMetadata().getLabels();
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    String gateName = labels == null ? null : labels.get(SchemaGateApi.GATE_LABEL);
    SchemaMigration migration =
        gateName == null || gateName.isBlank() ? null : migrations.get(namespace, gateName);
    GateDecision gate = GateDecision.decide(namespace, labels, annotations, migration);
    Boolean paused = d.getSpec() == null ? null : d.getSpec().getPaused();
    Hold hold = Hold.next(paused, annotations, gate);
    List<Map<String, Object>> patch = HoldPatch.of(hold, annotations, gateName);
    return new Outcome(
        allow(in, request, patch.isEmpty() ? null : patch),
        gate,
        hold,
        dryRun,
        namespace,
        name,
        d,
        migration);
  }

  private AdmissionReview allow(
      AdmissionReview in, AdmissionRequest request, List<Map<String, Object>> patch) {
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
    if (patch != null) {
      response
          .withPatchType("JSONPatch")
          .withPatch(
              Base64.getEncoder()
                  .encodeToString(json.asJson(patch).getBytes(StandardCharsets.UTF_8)));
    }
    return new AdmissionReviewBuilder()
        .withApiVersion(in.getApiVersion() == null ? "admission.k8s.io/v1" : in.getApiVersion())
        .withKind("AdmissionReview")
        .withResponse(response.build())
        .build();
  }
}
