package io.schemagate.operator.migration.spec;

import static io.schemagate.operator.migration.spec.ApiServerValidation.SERIALIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.v1alpha1.SchemaMigration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void urlViolationsNeverRepeatTheUrlOrItsPassword() {
    for (String url :
        List.of(
            "jdbc:postgresql://app:Hunter2Secret@orders-db:5432/orders",
            "jdbc:postgresql://orders-db/orders?password=Hunter2Secret",
            "jdbc:mysql://app:Hunter2Secret@orders-db/orders",
            "jdbc:postgresql://orders-db/orders?password=Hunter2Secret" + "x".repeat(2048))) {
      SchemaMigration migration = minimal();
      migration.getSpec().getDatabase().setUrl(url);

      List<Violation> violations = SpecValidator.validate(migration);

      assertThat(violations).isNotEmpty();
      assertThat(violations)
          .allSatisfy(
              v -> {
                assertThat(v.field()).isEqualTo("spec.database.url");
                assertThat(v.message()).doesNotContain("Hunter2Secret").doesNotContain("orders-db");
              });
    }
  }

  @Test
  void javaDefaultsMakeAMinimalResourceValid() {
    assertThat(SpecValidator.validate(minimal())).isEmpty();
  }

  @Test
  void nullOptionalFieldsAreLeftToTheirDefaults() {
    SchemaMigration migration = minimal();
    migration.getSpec().setRetry(null);
    migration.getSpec().setJob(null);
    migration.getSpec().setTimeout(null);
    migration.getSpec().getDatabase().setLockTimeout(null);

    assertThat(SpecValidator.validate(migration)).isEmpty();
  }

  @Test
  void reportsEveryViolationNotOnlyTheFirst() {
    SchemaMigration migration = minimal();
    migration.getSpec().setTimeout("5s");
    migration.getSpec().getDatabase().setLockTimeout("1s");
    migration.getSpec().setTargetRevision("head");
    migration.getSpec().getRetry().setLimit(500);

    assertThat(SpecValidator.validate(migration))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("spec.timeout", "spec.targetRevision", "spec.retry.limit");
  }

  private static SchemaMigration minimal() {
    return SERIALIZATION.convertValue(SpecExamples.minimal(), SchemaMigration.class);
  }
}
