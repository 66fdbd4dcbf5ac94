package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.schemagate.api.crd.SchemaMergePatch;
import java.util.ArrayList;
import java.util.List;

/** The migration bundle image: SQL files on top of the schemagate runner image. */
// Item bounds of a list cannot be annotated on the field.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        "{\"properties\":{\"imagePullSecrets\":{\"items\":{\"required\":[\"name\"],"
            + "\"properties\":{\"name\":{\"maxLength\":253}}}}}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleSpec extends WithUnknownFields {
  @Required
  @Size(min = 1, max = SpecLimits.IMAGE_LENGTH)
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription(
      "Image reference of the bundle, e.g. registry.example.com/orders-migrations:2025-10-03.")
  private String image;

  @Default("IfNotPresent")
  @JsonPropertyDescription("Always, IfNotPresent or Never.")
  private PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

  @Size(max = SpecLimits.PULL_SECRETS)
  @JsonPropertyDescription("Secrets for pulling the bundle image.")
  private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

  /** The image pull policies of a container. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }
}
