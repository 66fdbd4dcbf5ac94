package io.schemagate.operator.migration.job;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.api.v1alpha1.SchemaMigration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test resources under {@code job/}, read as the API server would hand them over. */
final class Fixtures {
  private Fixtures() {}

  static <T> T load(String name, Class<T> type) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/job/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource job/" + name);
      }
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SchemaMigration orders() {
    return load("schemamigration-orders.yaml", SchemaMigration.class);
  }

  static SchemaMigration minimal() {
    return load("schemamigration-minimal.yaml", SchemaMigration.class);
  }
}
