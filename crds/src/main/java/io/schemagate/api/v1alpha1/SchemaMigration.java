package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.schemagate.api.SchemaGateApi;
import java.util.LinkedHashMap;
import java.util.Map;

/** A database that must reach a migration bundle's revision before the apps that need it run. */
@Group(SchemaGateApi.GROUP)
@Version(SchemaGateApi.VERSION)
@Kind(SchemaGateApi.KIND)
@Plural("schemamigrations")
@Singular("schemamigration")
@ShortNames("smig")
@Categories("schemagate")
@ValidationRule(value = "has(self.spec)", message = "is required", fieldPath = ".spec")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.currentRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Head",
    jsonPath = ".status.headRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Duration",
    jsonPath = ".status.lastRun.durationSeconds",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SchemaMigration extends CustomResource<SchemaMigrationSpec, SchemaMigrationStatus>
    implements Namespaced {
  // Fields beside apiVersion, kind, metadata, spec and status (a typo such as "specs:"); see
  // WithUnknownFields, which this class cannot extend.
  @JsonIgnore private final Map<String, Object> unknownFields = new LinkedHashMap<>();

  @Override
  protected SchemaMigrationStatus initStatus() {
    return new SchemaMigrationStatus();
  }

  /** A spec that cannot be read becomes an {@link UnreadableSpec} instead of failing the read. */
  @Override
  @JsonDeserialize(using = TolerantReader.Spec.class)
  public void setSpec(SchemaMigrationSpec spec) {
    super.setSpec(spec);
  }

  /** A status that cannot be read is read as none; the operator writes a new one. */
  @Override
  @JsonDeserialize(using = TolerantReader.Status.class)
  public void setStatus(SchemaMigrationStatus status) {
    super.setStatus(status);
  }

  /** The top-level fields of the object that this type does not declare. */
  @JsonAnyGetter
  @JsonIgnore
  public Map<String, Object> getUnknownFields() {
    return unknownFields;
  }

  @JsonAnySetter
  public void setUnknownField(String name, Object value) {
    unknownFields.put(name, value);
  }
}
