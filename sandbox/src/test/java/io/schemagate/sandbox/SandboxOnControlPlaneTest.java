package io.schemagate.sandbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.schemagate.testkit.controlplane.ControlPlane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every scenario of {@link SandboxScenarios} on a real control plane: the API server enforces the
 * CRD, quotas and namespaces, Kubernetes' own Job controller turns the kubelet stand-in's pod
 * status into Job status (pod failure policy, deadline, replacement), and its garbage collector
 * deletes what a deleted owner leaves.
 */
@Tag(ControlPlane.TAG)
class SandboxOnControlPlaneTest extends SandboxScenarios {
  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ControlPlane.available(), "no control plane binaries (make k8s-bin)");
    startWith(b -> b.controlPlane(ControlPlane.shared()));
  }
}
