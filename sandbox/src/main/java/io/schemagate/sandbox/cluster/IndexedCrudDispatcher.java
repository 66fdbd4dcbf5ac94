package io.schemagate.sandbox.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * fabric8's CRUD dispatcher with an index in front of its store.
 *
 * <p>The stock dispatcher answers every request by matching the request's attributes against every
 * object it stores (each match a linear search of the object's attributes), and copies its store
 * for every GET, so a request costs time in proportion to everything stored: 4–7 ms per create at a
 * few thousand objects, which is what a thousand SchemaMigrations with their Jobs, pods and Events
 * come to. This subclass changes none of the semantics: every write still goes through the stock
 * POST/PUT/PATCH/DELETE handlers and {@link #processEvent}, and the stock store stays complete. It
 * keeps, beside the store, the same objects indexed by resource type (the {@code plural} attribute
 * every stored object carries) and name, and answers a lookup only from the objects of that type
 * and name, or of that type for a list, with the stock matching. A request it cannot index (no
 * resource type in the path: discovery) and a list that comes out empty (which may be an
 * API-resources request) go to the stock code. Watches match as the stock ones do, but their events
 * are written once per change from the stored JSON, where the stock code parses and re-serialises
 * the object for every watch.
 *
 * <p>Writes are serialised by the stock dispatcher's lock; this index has its own read-write lock
 * so that GETs, which the stock code answers under its read lock, read a consistent index.
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAME = KubernetesAttributesExtractor.NAME;

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Attribute, ResourceType> types = new HashMap<>();
  private final AtomicLong resourceVersion = new AtomicLong();
  private final Set<Watch> watches = new CopyOnWriteArraySet<>();

  /** The stored objects of one resource type, in the stock store's order, and by name. */
  private static final class ResourceType {
    final LinkedHashMap<AttributeSet, String> objects = new LinkedHashMap<>();
    final Map<Attribute, List<AttributeSet>> byName = new HashMap<>();
  }

  private KubernetesAttributesExtractor extractor() {
    return (KubernetesAttributesExtractor) getAttributeExtractor();
  }

  @Override
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    resourceVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    Attribute type = exact(attributes, PLURAL);
    if (type == null) {
      return super.findResource(attributes);
    }
    lock.readLock().lock();
    try {
      ResourceType objects = types.get(type);
      if (objects == null) {
        return null;
      }
      for (AttributeSet key : candidates(objects, attributes)) {
        if (key.matches(attributes)) {
          return new AbstractMap.SimpleImmutableEntry<>(key, objects.objects.get(key));
        }
      }
      return null;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public MockResponse handleGet(String path) {
    if (path.contains("watch=true")) {
      return super.handleGet(path);
    }
    AttributeSet query = extractor().fromPath(path);
    Attribute type = exact(query, PLURAL);
    if (type == null) {
      return super.handleGet(path);
    }
    List<String> items = matching(query, type);
    if (query.containsKey(NAME)) {
      return items.isEmpty()
          ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
          : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
    }
    if (items.isEmpty()) {
      // An empty list, or an API-resources request: the stock code tells them apart.
      return super.handleGet(path);
    }
    return new MockResponse()
        .setResponseCode(HttpURLConnection.HTTP_OK)
        .setBody(
            ((KubernetesResponseComposer) getResponseComposer())
                .compose(items, String.valueOf(resourceVersion.get())));
  }

  /**
   * The stored objects (JSON) a GET of {@code path} would list, from the index alone: empty when
   * the path names no resource type.
   */
  List<String> list(String path) {
    AttributeSet query = extractor().fromPath(path);
    Attribute type = exact(query, PLURAL);
    return type == null ? List.of() : matching(query, type);
  }

  private List<String> matching(AttributeSet query, Attribute type) {
    List<String> items = new ArrayList<>();
    lock.readLock().lock();
    try {
      ResourceType objects = types.get(type);
      if (objects != null) {
        for (AttributeSet key : candidates(objects, query)) {
          if (key.matches(query)) {
            items.add(objects.objects.get(key));
          }
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    return items;
  }

  /** Called by the stock GET handling for a {@code watch=true} request. */
  @Override
  public MockResponse handleWatch(String path) {
    AttributeSet query = extractor().fromPath(path);
    String name = watchedName(path);
    if (name != null) {
      query = query.add(new Attribute(NAME, name));
    }
    return new MockResponse().withWebSocketUpgrade(new Watch(query));
  }

  /** The value of a {@code metadata.name} field selector, as the stock dispatcher reads it. */
  private static String watchedName(String path) {
    String query;
    try {
      query = new URI(path).getQuery();
    } catch (URISyntaxException e) {
      return null;
    }
    if (query == null || query.isEmpty()) {
      return null;
    }
    String name = "";
    for (String q : query.split("&")) {
      if (q.contains("fieldSelector") && q.contains("metadata.name")) {
        String[] s = q.split("=");
        name = s[s.length - 1];
      }
    }
    return name.isEmpty() ? null : name;
  }

  /**
   * Every change to the store comes through here (create, update, patch, delete, the stock delete's
   * finalizer handling), under the stock dispatcher's write lock.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    AttributeSet newAttributes = null;
    if (newState != null) {
      if (resource == null) {
        // Parsed once here and handed on, where the stock code would parse newState itself.
        resource = Serialization.unmarshal(newState, GenericKubernetesResource.class);
      }
      // The key the stock code stores the object under, computed the same way.
      newAttributes = extractor().extract(resource);
      if (!newAttributes.containsKey(PLURAL)) {
        newAttributes = AttributeSet.merge(pathAttributes, newAttributes);
      }
    }
    lock.writeLock().lock();
    try {
      String existing = oldAttributes == null ? null : remove(oldAttributes);
      if (newAttributes != null) {
        add(newAttributes, newState);
      }
      if (!Objects.equals(existing, newState)) {
        notify(oldAttributes, existing, newAttributes, newState);
      }
    } finally {
      lock.writeLock().unlock();
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
  }

  @Override
  public void reset() {
    lock.writeLock().lock();
    try {
      types.clear();
    } finally {
      lock.writeLock().unlock();
    }
    super.reset();
  }

  /**
   * Sends every open watch a message that is no watch event, as a faulty connection would: the
   * clients' watches fail. For tests of what happens then.
   */
  void breakWatches() {
    lock.writeLock().lock();
    try {
      watches.forEach(w -> w.send("{\"type\":"));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** How many objects the index holds, for tests that compare it with the stock store. */
  int size() {
    lock.readLock().lock();
    try {
      return types.values().stream().mapToInt(t -> t.objects.size()).sum();
    } finally {
      lock.readLock().unlock();
    }
  }

  private static Collection<AttributeSet> candidates(ResourceType objects, AttributeSet query) {
    Attribute name = exact(query, NAME);
    if (name == null) {
      return objects.objects.keySet();
    }
    return objects.byName.getOrDefault(name, List.of());
  }

  /**
   * The query's attribute {@code key} when it asks for one value (only then do the objects it
   * matches all carry an equal attribute, which is what the index is keyed by); null otherwise.
   */
  private static Attribute exact(AttributeSet query, String key) {
    Attribute a = query.getAttribute(key);
    return a != null && a.getType() == AttributeType.WITH && a.getValues().size() == 1 ? a : null;
  }

  private void add(AttributeSet key, String state) {
    Attribute type = key.getAttribute(PLURAL);
    if (type == null) {
      return; // never matched by an indexed lookup, which always names a type
    }
    ResourceType objects = types.computeIfAbsent(type, t -> new ResourceType());
    objects.objects.put(key, state);
    Attribute name = key.getAttribute(NAME);
    if (name != null) {
      objects.byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(key);
    }
  }

  /** Removes the object stored under {@code key}; returns it, or null when there was none. */
  private String remove(AttributeSet key) {
    Attribute type = key.getAttribute(PLURAL);
    ResourceType objects = type == null ? null : types.get(type);
    String state = objects == null ? null : objects.objects.remove(key);
    if (state == null) {
      return null;
    }
    Attribute name = key.getAttribute(NAME);
    List<AttributeSet> named = name == null ? null : objects.byName.get(name);
    if (named != null) {
      named.remove(key);
      if (named.isEmpty()) {
        objects.byName.remove(name);
      }
    }
    return state;
  }

  /**
   * Tells every watch that sees the change, as the stock dispatcher does: MODIFIED when it matches
   * the object before and after, DELETED when only before, ADDED when only after. The event is
   * written once, from the stored JSON (the stock code parses and re-serialises the object for
   * every watch).
   */
  private void notify(AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    String modified = null;
    String added = null;
    String deleted = null;
    for (Watch watch : watches) {
      boolean before = oldKey != null && oldState != null && watch.matches(oldKey);
      boolean after = newKey != null && watch.matches(newKey);
      if (before && after) {
        watch.send(modified == null ? modified = event("MODIFIED", newState) : modified);
      } else if (before) {
        watch.send(deleted == null ? deleted = event("DELETED", oldState) : deleted);
      } else if (after) {
        watch.send(added == null ? added = event("ADDED", newState) : added);
      }
    }
  }

  private static String event(String type, String object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
  }

  /**
   * A watch: its query is the path's attributes, plus the name of a {@code metadata.name} field
   * selector, as in the stock dispatcher. On open it is sent every matching object as ADDED, then
   * every change; both under the index's write lock, so that nothing falls between the two.
   */
  private final class Watch extends WebSocketListener {
    private final AttributeSet query;
    private volatile WebSocket socket;

    Watch(AttributeSet query) {
      this.query = query;
    }

    boolean matches(AttributeSet key) {
      return key.matches(query);
    }

    void send(String event) {
      socket.send(event);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
      lock.writeLock().lock();
      try {
        Attribute type = exact(query, PLURAL);
        Collection<ResourceType> scope =
            type == null
                ? types.values()
                : types.containsKey(type) ? List.of(types.get(type)) : List.of();
        for (ResourceType objects : scope) {
          for (AttributeSet key : candidates(objects, query)) {
            if (key.matches(query)) {
              send(event("ADDED", objects.objects.get(key)));
            }
          }
        }
        watches.add(this);
      } finally {
        lock.writeLock().unlock();
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watches.remove(this);
      webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watches.remove(this);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      watches.remove(this);
      webSocket.close(1000, error.getMessage());
    }
  }
}
