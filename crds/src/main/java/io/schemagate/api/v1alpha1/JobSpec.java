package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pod-level settings of the migration Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobSpec {
  @Default("")
  @JsonPropertyDescription(
      "Service account of the migration pod; empty uses the namespace default. Its token is never"
          + " mounted.")
  private String serviceAccountName = "";

  @JsonPropertyDescription("Resources of the runner container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Node selector of the migration pod.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations of the migration pod.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("Annotations added to the migration pod.")
  private Map<String, String> podAnnotations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Extra environment of the runner container; SCHEMAGATE_* variables are the operator's.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription("Extra volumes of the migration pod.")
  private List<Volume> volumes = new ArrayList<>();

  @JsonPropertyDescription("Extra volume mounts of the runner container.")
  private List<VolumeMount> volumeMounts = new ArrayList<>();

  @JsonPropertyDescription(
      "Sidecar containers, e.g. a cloud SQL proxy; started as native sidecars (init containers"
          + " with restartPolicy Always) so they end with the runner.")
  private List<Container> sidecars = new ArrayList<>();

  @Default("86400")
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
