package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.schemagate.api.SchemaGateApi;
import io.schemagate.api.crd.SchemaMergePatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pod-level settings of the migration Job. */
// Rules guard with has() so that a missing key is reported as required, not as a rule error.
// Lists keyed like the pod fields they feed, so a duplicate name is rejected at apply time rather
// than by the Job controller; keys must be required. Names the rules read are bounded to keep the
// rules' cost estimate low.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        "{\"properties\":{"
            + "\"env\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
            + "\"items\":{\"required\":[\"name\"],\"properties\":{\"name\":{\"minLength\":1,\"maxLength\":253}}}},"
            + "\"volumes\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
            + "\"items\":{\"required\":[\"name\"],\"properties\":{\"name\":{\"minLength\":1,\"maxLength\":63}}}},"
            + "\"volumeMounts\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"mountPath\"],"
            + "\"items\":{\"required\":[\"name\",\"mountPath\"],\"properties\":{"
            + "\"name\":{\"minLength\":1,\"maxLength\":63},\"mountPath\":{\"minLength\":1,\"maxLength\":1024}}}},"
            + "\"sidecars\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
            + "\"items\":{\"required\":[\"name\",\"image\"],\"properties\":{"
            + "\"name\":{\"minLength\":1,\"maxLength\":63},\"image\":{\"minLength\":1,\"maxLength\":512}}}}"
            + "}}")
@ValidationRule(
    value =
        "!has(self.volumeMounts) || self.volumeMounts.all(m, has(self.volumes)"
            + " && has(m.name) && self.volumes.exists(v, has(v.name) && v.name == m.name))",
    message = "each volume mount must name one of job.volumes",
    fieldPath = ".volumeMounts")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobSpec extends WithUnknownFields {
  @Default("\"\"")
  @Size(max = SpecLimits.NAME_LENGTH)
  @ValidationRule(
      value = "self == '' || self.matches('" + SpecLimits.DNS_SUBDOMAIN + "')",
      message = "must be empty or a Kubernetes object name")
  @JsonPropertyDescription(
      "Service account of the migration pod; empty uses the namespace default. Its token is never"
          + " mounted.")
  private String serviceAccountName = "";

  @JsonPropertyDescription("Resources of the runner container.")
  private ResourceRequirements resources;

  @Size(max = SpecLimits.JOB_ITEMS)
  @JsonPropertyDescription("Node selector of the migration pod.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @JsonPropertyDescription("Tolerations of the migration pod.")
  private List<Toleration> tolerations = new ArrayList<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @JsonPropertyDescription("Annotations added to the migration pod.")
  private Map<String, String> podAnnotations = new LinkedHashMap<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @ValidationRule(
      value =
          "self.all(e, !has(e.name) || !e.name.startsWith('"
              + SchemaGateApi.RESERVED_ENV_PREFIX
              + "'))",
      message = "names starting with SCHEMAGATE_ are the operator's")
  @JsonPropertyDescription(
      "Extra environment of the runner container; SCHEMAGATE_* variables are the operator's.")
  private List<EnvVar> env = new ArrayList<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @ValidationRule(
      value = "self.all(v, !has(v.name) || v.name != '" + SchemaGateApi.TMP_VOLUME + "')",
      message = "the volume name tmp is the operator's")
  @JsonPropertyDescription("Extra volumes of the migration pod.")
  private List<Volume> volumes = new ArrayList<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @ValidationRule(
      value =
          "self.all(m, !has(m.mountPath) || m.mountPath != '"
              + SchemaGateApi.TMP_PATH
              + "' && !m.mountPath.startsWith('"
              + SchemaGateApi.TMP_PATH
              + "/'))",
      message = "/tmp is the operator's")
  @JsonPropertyDescription("Extra volume mounts of the runner container.")
  private List<VolumeMount> volumeMounts = new ArrayList<>();

  @Size(max = SpecLimits.JOB_ITEMS)
  @ValidationRule(
      value = "self.all(c, !has(c.name) || c.name != '" + SchemaGateApi.RUNNER_CONTAINER + "')",
      message = "the container name runner is the operator's")
  @JsonPropertyDescription(
      "Sidecar containers, e.g. a cloud SQL proxy; started as native sidecars (init containers"
          + " with restartPolicy Always) so they end with the runner.")
  private List<Container> sidecars = new ArrayList<>();

  @Default("86400")
  @Min(0)
  @JsonPropertyDescription("Seconds a finished Job is kept before Kubernetes deletes it.")
  private Integer ttlSecondsAfterFinished = 86400;

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<Volume> volumes) {
    this.volumes = volumes;
  }

  public List<VolumeMount> getVolumeMounts() {
    return volumeMounts;
  }

  public void setVolumeMounts(List<VolumeMount> volumeMounts) {
    this.volumeMounts = volumeMounts;
  }

  public List<Container> getSidecars() {
    return sidecars;
  }

  public void setSidecars(List<Container> sidecars) {
    this.sidecars = sidecars;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }
}
