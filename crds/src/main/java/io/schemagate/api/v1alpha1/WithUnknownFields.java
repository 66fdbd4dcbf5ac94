package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/** A part of the API that keeps the fields it does not declare, so a round trip loses none. */
// An API server without the CRD's schema hands over whatever a user wrote (a typo such as
// targetRevison), and a newer CRD adds fields this version does not know. Failing on them would
// fail the whole list the operator reads; dropping them would lose them on the next full update.
// The shape is fabric8's own model classes' (field and any-getter both ignored as properties),
// which
// the CRD generator leaves out of the schema.
public abstract class WithUnknownFields {
  @JsonIgnore private final Map<String, Object> unknownFields = new LinkedHashMap<>();

  /** The fields these types do not declare, as read, in their order. */
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
