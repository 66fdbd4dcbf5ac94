package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * Security contexts that satisfy the Pod Security Standard "restricted", so migration pods run in
 * namespaces that enforce it.
 */
final class RestrictedSecurity {
  /** The runner image's user and group (migrations-image Dockerfile, RUNNER_UID). */
  static final long RUNNER_UID = 65532L;

  private RestrictedSecurity() {}

  static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNNER_UID)
        .withRunAsGroup(RUNNER_UID)
        .withFsGroup(RUNNER_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static SecurityContext runner() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withCapabilities(dropAll())
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .build();
  }

  /**
   * A user's sidecar as a native sidecar, with the restricted fields it leaves unset filled in.
   * Values the user did set are kept: a namespace's admission then decides, and says why. The root
   * file system stays writable unless asked otherwise, since the restricted standard does not
   * require it and proxies commonly write to it.
   */
  static Container sidecar(Container userSidecar) {
    ContainerBuilder sidecar = new ContainerBuilder(userSidecar).withRestartPolicy("Always");
    SecurityContext given = userSidecar.getSecurityContext();
    SecurityContextBuilder security =
        given == null ? new SecurityContextBuilder() : new SecurityContextBuilder(given);
    if (given == null || given.getAllowPrivilegeEscalation() == null) {
      security.withAllowPrivilegeEscalation(false);
    }
    if (given == null || given.getCapabilities() == null) {
      security.withCapabilities(dropAll());
    }
    return sidecar.withSecurityContext(security.build()).build();
  }

  private static Capabilities dropAll() {
    return new CapabilitiesBuilder().withDrop("ALL").build();
  }
}
