package io.schemagate.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.v1alpha1.DatabaseSpec;
import io.schemagate.api.v1alpha1.SchemaMigration;
import io.schemagate.testkit.Fixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConflictCheckTest {
  @Test
  void sameDatabaseWrittenDifferentlyIsTheSameTarget() {
    assertThat(target("jdbc:postgresql://Orders-DB/orders?sslmode=require", List.of()))
        .isEqualTo(target("jdbc:postgresql://orders-db:5432/orders", List.of("public")));
    assertThat(target("jdbc:postgresql://[::1]/orders", List.of()).database())
        .isEqualTo("[::1]:5432/orders");
    assertThat(target("jdbc:postgresql://db1:5433,db2/orders", List.of()).database())
        .isEqualTo("db1.shop.svc.cluster.local:5433,db2.shop.svc.cluster.local:5432/orders");
  }

  @Test
  void aShortHostIsAServiceOfTheResourcesNamespace() {
    DatabaseTarget shop = target("jdbc:postgresql://orders-db/orders", List.of(), "shop");
    assertThat(target("jdbc:postgresql://orders-db/orders", List.of(), "billing"))
        .as("the same short name in another namespace is another Service")
        .isNotEqualTo(shop);
    assertThat(target("jdbc:postgresql://orders-db.shop/orders", List.of(), "billing"))
        .as("NAME.NS is left as written: a pod's DNS search may find it elsewhere first")
        .isNotEqualTo(shop);
    assertThat(target("jdbc:postgresql://orders-db.shop.svc:5432/orders", List.of(), "billing"))
        .isEqualTo(shop);
    assertThat(
            target(
                "jdbc:postgresql://Orders-DB.shop.svc.cluster.local/orders", List.of(), "billing"))
        .isEqualTo(shop);
    assertThat(target("jdbc:postgresql://10.0.0.7/orders", List.of(), "shop"))
        .isEqualTo(target("jdbc:postgresql://10.0.0.7:5432/orders", List.of(), "billing"));
  }

  @Test
  void otherSchemaOrDatabaseIsAnotherTarget() {
    DatabaseTarget base = target("jdbc:postgresql://db:5432/orders", List.of());
    assertThat(target("jdbc:postgresql://db:5432/orders", List.of("billing"))).isNotEqualTo(base);
    assertThat(target("jdbc:postgresql://db:5432/invoices", List.of())).isNotEqualTo(base);
    assertThat(target("jdbc:postgresql://db:5433/orders", List.of())).isNotEqualTo(base);
  }

  @Test
  void laterResourceOnTheSameTargetConflictsWithTheOlderOne() {
    SchemaMigration older = resource("a", "shop", "2026-11-01T00:00:00Z", "db/orders");
    SchemaMigration later =
        resource("b", "other", "2026-11-02T00:00:00Z", "db.shop.svc.cluster.local/orders");
    SchemaMigration elsewhere = resource("c", "shop", "2026-10-01T00:00:00Z", "db/invoices");

    assertThat(ConflictCheck.ownerOtherThan(later, Stream.of(older, later, elsewhere)))
        .containsSame(older);
    assertThat(ConflictCheck.ownerOtherThan(older, Stream.of(older, later, elsewhere))).isEmpty();
  }

  @Test
  void deletedOwnerReleasesTheTarget() {
    SchemaMigration older = resource("a", "shop", "2026-11-01T00:00:00Z", "db/orders");
    older.getMetadata().setDeletionTimestamp("2026-11-03T00:00:00Z");
    SchemaMigration later = resource("b", "shop", "2026-11-02T00:00:00Z", "db/orders");
    assertThat(ConflictCheck.ownerOtherThan(later, Stream.of(older, later))).isEmpty();
  }

  static DatabaseTarget target(String url, List<String> schemas) {
    return target(url, schemas, "shop");
  }

  static DatabaseTarget target(String url, List<String> schemas, String namespace) {
    DatabaseSpec db = new DatabaseSpec();
    db.setUrl(url);
    db.setSchemas(schemas);
    return DatabaseTarget.of(db, namespace);
  }

  static SchemaMigration resource(String name, String ns, String created, String hostAndDb) {
    SchemaMigration sm = Fixtures.migration(ns, "orders");
    sm.getMetadata().setName(name);
    sm.getMetadata().setNamespace(ns);
    sm.getMetadata().setCreationTimestamp(created);
    sm.getSpec().getDatabase().setUrl("jdbc:postgresql://" + hostAndDb);
    return sm;
  }
}
