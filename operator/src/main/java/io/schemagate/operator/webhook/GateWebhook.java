package io.schemagate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.operator.gate.GateAdmission;
import io.schemagate.operator.gate.GateSignals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The gate's webhook as the operator runs it, on every replica (leader or not): its certificate
 * kept in its Secret ({@link WebhookCertificateKeeper}), SchemaMigrations read from informers of
 * its own ({@link MigrationCache}), and the HTTPS server. Started in that order, so it answers only
 * with a certificate and a synced cache.
 */
public final class GateWebhook implements AutoCloseable {
  private final WebhookCertificateKeeper keeper;
  private final MigrationCache migrations;
  private final WebhookServer server;

  private GateWebhook(
      WebhookCertificateKeeper keeper, MigrationCache migrations, WebhookServer server) {
    this.keeper = keeper;
    this.migrations = migrations;
    this.server = server;
  }

  /**
   * Starts it for the SchemaMigrations of {@code namespaces} (empty: all), telling what it holds
   * and releases to {@code signals}.
   *
   * @throws IllegalStateException when there is no certificate to serve or the cache did not sync
   */
  public static GateWebhook start(
      KubernetesClient client,
      WebhookSettings settings,
      Set<String> namespaces,
      GateSignals signals,
      Clock clock)
      throws IOException {
    WebhookCertificateKeeper keeper =
        new WebhookCertificateKeeper(client, settings.certificates(), clock);
    MigrationCache migrations = null;
    try {
      keeper.start();
      migrations = MigrationCache.start(client, namespaces, Duration.ofMinutes(2));
      var json = client.getKubernetesSerialization();
      WebhookServer server =
          WebhookServer.start(
              new InetSocketAddress(settings.port()),
              keeper.sslContext(),
              new GateAdmission(settings.operatorUser(), migrations, json),
              json,
              signals::admitted);
      return new GateWebhook(keeper, migrations, server);
    } catch (IOException | RuntimeException e) {
      keeper.close();
      if (migrations != null) {
        migrations.close();
      }
      throw e;
    }
  }

  /** Whether it can answer correctly: its SchemaMigration informers are watching. */
  public boolean isReady() {
    return migrations.isWatching() && keeper.served().isPresent();
  }

  /** Whether its cache has the SchemaMigration {@code namespace/name}. */
  public boolean knows(String namespace, String name) {
    return migrations.get(namespace, name) != null;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    migrations.close();
    keeper.close();
  }
}
