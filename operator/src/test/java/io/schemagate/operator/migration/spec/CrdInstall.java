package io.schemagate.operator.migration.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testkit.controlplane.ControlPlane;

/** Installs the committed CRD on a real control plane, as a user would, and waits for it. */
final class CrdInstall {
  private CrdInstall() {}

  static void apply(ControlPlane cluster) {
    ControlPlane.Kubectl apply =
        cluster.kubectl("apply", "--server-side", "-f", ApiServerValidation.CRD.toString());
    assertThat(apply.exitCode()).as(apply.stderr()).isZero();
    ControlPlane.Kubectl established =
        cluster.kubectl(
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/schemamigrations.schemagate.io");
    assertThat(established.exitCode()).as(established.stderr()).isZero();
  }
}
