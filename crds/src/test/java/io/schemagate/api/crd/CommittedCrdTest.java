package io.schemagate.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommittedCrdTest {
  private static final String FILE = "schemamigrations.schemagate.io-v1.yml";

  @Test
  void committedCrdIsTheOneTheTypesGenerate() throws IOException {
    // The crd-generator plugin writes here in process-classes, before the tests run.
    Path generated = Path.of("target", "classes", "META-INF", "fabric8", FILE);
    Path committed = Path.of(FILE);
    assertThat(generated).as("generated CRD").exists();
    assertThat(committed).as("committed CRD; run make crds").exists();
    assertThat(Files.readString(committed))
        .as("crds/%s differs from the CRD the API types generate; run make crds", FILE)
        .isEqualTo(Files.readString(generated));
  }
}
