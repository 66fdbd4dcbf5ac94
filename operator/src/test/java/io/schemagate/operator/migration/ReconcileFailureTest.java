package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.OperatorException;
import io.schemagate.api.v1alpha1.Reason;
import org.junit.jupiter.api.Test;

/** Exceptions as fabric8 and the reconciler raise them, and what the user reads of them. */
@EnableKubernetesMockClient
class ReconcileFailureTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void aRefusedRequestNamesVerbPathStatusAndTheServersWordsAndIsRetried() {
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/shop/jobs")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(
                    "jobs.batch \"orders-1a2b3c4d5e\" is forbidden: exceeded quota: no-jobs,"
                        + " requested: count/jobs.batch=1, used: count/jobs.batch=0,"
                        + " limited: count/jobs.batch=0")
                .build())
        .once();
    KubernetesClientException refused = createJob();

    ReconcileFailure failure = ReconcileFailure.of(refused).orElseThrow();

    assertThat(failure.reason()).isEqualTo(Reason.KubernetesApiError);
    assertThat(failure.message())
        .isEqualTo(
            "Kubernetes API request POST /apis/batch/v1/namespaces/shop/jobs: HTTP 403 Forbidden:"
                + " jobs.batch \"orders-1a2b3c4d5e\" is forbidden: exceeded quota: no-jobs,"
                + " requested: count/jobs.batch=1, used: count/jobs.batch=0,"
                + " limited: count/jobs.batch=0");
  }

  @Test
  void aRefusalWithoutAStatusBodyStillSaysWhatHappened() {
    // Not a 5xx: fabric8 retries those itself before it gives up.
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/shop/jobs")
        .andReturn(422, "")
        .once();

    ReconcileFailure failure = ReconcileFailure.of(createJob()).orElseThrow();

    assertThat(failure.message())
        .startsWith(
            "Kubernetes API request POST /apis/batch/v1/namespaces/shop/jobs:"
                + " HTTP 422 Unprocessable Entity");
  }

  @Test
  void aRefusalWrappedByJosdkIsStillAnApiError() {
    KubernetesClientException conflict =
        new KubernetesClientException(
            "Failure executing: PUT at: https://10.0.0.1:6443/apis/schemagate.io/v1alpha1/"
                + "namespaces/shop/schemamigrations/orders/status. Message: the object has been"
                + " modified.",
            409,
            new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage("modified")
                .build());

    ReconcileFailure failure =
        ReconcileFailure.of(new OperatorException("Exceeded maximum (10) retry attempts", conflict))
            .orElseThrow();

    assertThat(failure.reason()).isEqualTo(Reason.KubernetesApiError);
    assertThat(failure.message())
        .isEqualTo(
            "Kubernetes API request PUT"
                + " /apis/schemagate.io/v1alpha1/namespaces/shop/schemamigrations/orders/status:"
                + " HTTP 409 Conflict: modified");
  }

  @Test
  void anUnansweredRequestSaysSoWithoutTheServersCredentials() {
    KubernetesClientException unanswered =
        new KubernetesClientException(
            "Error executing: GET at: https://admin:hunter2@10.0.0.1:6443/api/v1/namespaces/shop/"
                + "pods. Cause: Connection refused",
            new java.net.ConnectException("Connection refused to https://admin:hunter2@10.0.0.1"));

    ReconcileFailure failure = ReconcileFailure.of(unanswered).orElseThrow();

    assertThat(failure.message())
        .isEqualTo(
            "Kubernetes API request GET /api/v1/namespaces/shop/pods: no answer from the API"
                + " server (Connection refused to https://10.0.0.1)")
        .doesNotContain("hunter2");
  }

  @Test
  void anythingElseIsAnInternalErrorInOneLine() {
    IllegalStateException bug =
        new IllegalStateException("no status for\njdbc:postgresql://app:hunter2@db/orders");

    ReconcileFailure failure = ReconcileFailure.of(bug).orElseThrow();

    assertThat(failure.reason()).isEqualTo(Reason.InternalError);
    assertThat(failure.message())
        .isEqualTo(
            "the operator failed: IllegalStateException: no status for"
                + " jdbc:postgresql://db/orders (details in the operator's log)");
  }

  @Test
  void aStatusThatChangedWhileReconcilingIsNoFailure() {
    assertThat(ReconcileFailure.of(new StatusWriter.StaleStatusException("orders"))).isEmpty();
  }

  private KubernetesClientException createJob() {
    return catchThrowableOfType(
        KubernetesClientException.class,
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("shop")
                .resource(
                    new JobBuilder()
                        .withNewMetadata()
                        .withName("orders-1a2b3c4d5e")
                        .withNamespace("shop")
                        .endMetadata()
                        .build())
                .create());
  }
}
