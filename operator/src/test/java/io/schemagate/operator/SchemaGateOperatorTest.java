package io.schemagate.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.api.v1alpha1.SchemaMigrationStatus;
import io.schemagate.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class SchemaGateOperatorTest {
  @Test
  void aSchemaMigrationsOwnStatusWriteDoesNotWakeItButItsSpecAndAnnotationsDo() {
    SchemaMigration before = Fixtures.migration("shop", "orders");
    before.getMetadata().setGeneration(1L);
    SchemaMigration statusOnly = Fixtures.migration("shop", "orders");
    statusOnly.getMetadata().setGeneration(1L);
    statusOnly.setStatus(new SchemaMigrationStatus());
    statusOnly.getStatus().setCurrentRevision("7");
    assertThat(SchemaGateOperator.beyondStatus(statusOnly, before)).isFalse();

    SchemaMigration retried = Fixtures.migration("shop", "orders");
    retried.getMetadata().setGeneration(1L);
    retried.getMetadata().getAnnotations().put("schemagate.io/retry", "2");
    assertThat(SchemaGateOperator.beyondStatus(retried, before)).isTrue();

    SchemaMigration respecified = Fixtures.migration("shop", "orders");
    respecified.getMetadata().setGeneration(2L);
    assertThat(SchemaGateOperator.beyondStatus(respecified, before)).isTrue();
  }
}
