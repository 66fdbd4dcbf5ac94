package io.schemagate.testkit.cluster;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch that is opened again when it fails, as the controllers and the kubelet of a cluster watch
 * again: the API server sends every object again on the new watch, so the stand-ins, which remember
 * what they have done, do nothing twice.
 */
final class LastingWatch<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LastingWatch.class);

  private final Function<Watcher<T>, Watch> open;
  private final BiConsumer<Watcher.Action, T> handler;
  private final String what;
  private volatile boolean closed;
  private volatile Watch current;

  LastingWatch(
      String what, Function<Watcher<T>, Watch> open, BiConsumer<Watcher.Action, T> handler) {
    this.what = what;
    this.open = open;
    this.handler = handler;
    this.current = open.apply(watcher());
  }

  private Watcher<T> watcher() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        handler.accept(action, resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        if (cause != null && !closed) {
          LOG.warn("{} watch failed ({}); watching again", what, cause.getMessage());
          current = open.apply(watcher());
        }
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    current.close();
  }
}
