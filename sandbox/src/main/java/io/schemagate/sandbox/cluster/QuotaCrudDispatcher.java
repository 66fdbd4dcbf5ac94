package io.schemagate.sandbox.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's API server: the {@link IndexedCrudDispatcher} with the one admission check a
 * cluster makes that the sandbox's users and tests need, ResourceQuota object counts. A create of
 * an object whose {@code count/<resource>[.<group>]} is at its quota's {@code hard} limit in its
 * namespace is refused with 403 Forbidden and the message the API server's quota admission gives;
 * delete the quota or raise its limit and creates pass again. Two creates racing for the last place
 * may both pass, which the real admission's optimistic quota update would prevent.
 */
public final class QuotaCrudDispatcher extends IndexedCrudDispatcher {
  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    Collection collection = Collection.of(request.getPath());
    if (collection != null) {
      List<ResourceQuota> quotas = quotas(collection.namespace());
      for (ResourceQuota quota : quotas) {
        Map<String, Quantity> hard = quota.getSpec() == null ? null : quota.getSpec().getHard();
        Quantity limit = hard == null ? null : hard.get(collection.countKey());
        if (limit != null) {
          int used = count(collection.path());
          int limited = limit.getNumericalAmount().intValue();
          if (used + 1 > limited) {
            return refuse(collection, request, quota, used, limited);
          }
        }
      }
    }
    return super.handleCreate(request);
  }

  /** The namespaced collection a create goes to, from its path. */
  record Collection(String path, String group, String namespace, String plural) {
    static Collection of(String requestPath) {
      String path = requestPath.split("\\?", 2)[0];
      String[] s = path.substring(1).split("/");
      if (s.length == 5 && s[0].equals("api") && s[2].equals("namespaces")) {
        return new Collection(path, "", s[3], s[4]);
      }
      if (s.length == 6 && s[0].equals("apis") && s[3].equals("namespaces")) {
        return new Collection(path, s[1], s[4], s[5]);
      }
      return null;
    }

    /** The quota's name for this resource's object count, e.g. {@code count/jobs.batch}. */
    String countKey() {
      return "count/" + resource();
    }

    String resource() {
      return group.isEmpty() ? plural : plural + "." + group;
    }
  }

  // From the index: a create without a quota in its namespace costs one map lookup more.
  private List<ResourceQuota> quotas(String namespace) {
    return list("/api/v1/namespaces/" + namespace + "/resourcequotas").stream()
        .map(json -> Serialization.unmarshal(json, ResourceQuota.class))
        .toList();
  }

  private int count(String collectionPath) {
    return list(collectionPath).size();
  }

  private static MockResponse refuse(
      Collection c, RecordedRequest request, ResourceQuota quota, int used, int limited) {
    JsonNode object =
        Serialization.unmarshal(
            new String(request.getBody().getBytes(), StandardCharsets.UTF_8), JsonNode.class);
    String name = object.path("metadata").path("name").asText();
    String key = c.countKey();
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withReason("Forbidden")
            .withCode(HttpURLConnection.HTTP_FORBIDDEN)
            .withMessage(
                c.resource()
                    + " \""
                    + name
                    + "\" is forbidden: exceeded quota: "
                    + quota.getMetadata().getName()
                    + ", requested: "
                    + key
                    + "=1, used: "
                    + key
                    + "="
                    + used
                    + ", limited: "
                    + key
                    + "="
                    + limited)
            .withNewDetails()
            .withName(name)
            .withGroup(c.group())
            .withKind(c.plural())
            .endDetails()
            .build();
    status.setApiVersion("v1");
    status.setKind("Status");
    return new MockResponse()
        .setResponseCode(HttpURLConnection.HTTP_FORBIDDEN)
        .setBody(Serialization.asJson(status));
  }
}
