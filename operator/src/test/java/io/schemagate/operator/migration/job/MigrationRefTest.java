package io.schemagate.operator.migration.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.schemagate.api.SchemaGateApi;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationRefTest {
  static final String LONGEST =
      "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(70);

  @Test
  void aNameThatFitsIsTheLabelAsBeforeWithoutAnAnnotation() {
    String name = "o".repeat(63);

    assertThat(MigrationRef.labels(name))
        .containsExactly(
            Map.entry(SchemaGateApi.MANAGED_BY_LABEL, SchemaGateApi.MANAGED_BY),
            Map.entry(SchemaGateApi.MIGRATION_LABEL, name));
    assertThat(MigrationRef.annotations(name)).isEmpty();
  }

  @Test
  void aLongerNameIsCutToAValidLabelValueEndingInAHashOfTheWholeName() {
    String label = MigrationRef.labelValue(LONGEST);

    assertThat(label)
        .hasSizeLessThanOrEqualTo(63)
        .matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
        .startsWith("a".repeat(52));
    assertThat(MigrationRef.annotations(LONGEST))
        .containsExactly(Map.entry(SchemaGateApi.MIGRATION_NAME_ANNOTATION, LONGEST));
  }

  @Test
  void aCutEndingInADotOrDashLosesItBeforeTheHash() {
    String name = "a".repeat(51) + ".b" + "c".repeat(20);

    assertThat(MigrationRef.labelValue(name)).startsWith("a".repeat(51) + "-").hasSize(62);
  }

  @Test
  void longNamesSharingTheirFirstCharactersGetDifferentLabels() {
    assertThat(MigrationRef.labelValue("x".repeat(80) + "1"))
        .isNotEqualTo(MigrationRef.labelValue("x".repeat(80) + "2"));
  }

  @Test
  void theWholeNameComesFromTheAnnotationElseFromTheLabel() {
    ObjectMeta cut =
        new ObjectMetaBuilder()
            .withLabels(MigrationRef.labels(LONGEST))
            .withAnnotations(MigrationRef.annotations(LONGEST))
            .build();
    ObjectMeta olderOperator =
        new ObjectMetaBuilder().withLabels(Map.of(SchemaGateApi.MIGRATION_LABEL, "orders")).build();

    assertThat(MigrationRef.nameOf(cut)).isEqualTo(LONGEST);
    assertThat(MigrationRef.nameOf(olderOperator)).isEqualTo("orders");
    assertThat(MigrationRef.nameOf(new ObjectMeta())).isNull();
  }
}
