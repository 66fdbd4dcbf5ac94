package io.schemagate.operator.webhook;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server TLS context whose certificate can be replaced while it serves: every handshake asks for
 * the current key and chain, so {@link #update} takes effect on the next connection without
 * restarting the server. Before the first {@code update} it has nothing to serve and handshakes
 * fail.
 */
public final class ReloadableTlsContext {
  /**
   * One key and its chain, under an alias of its own: a handshake that chose an alias gets the
   * chain and key of that alias even if an update lands in between.
   */
  private record Served(String alias, PrivateKey key, X509Certificate[] chain) {}

  private final Object lock = new Object();
  private final SSLContext context;
  private volatile Served current;
  private volatile Served previous;
  private long generation;

  public ReloadableTlsContext() {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new CurrentKey[] {new CurrentKey()}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS: " + e, e);
    }
  }

  /** The context to serve with, e.g. {@link WebhookServer#start}'s. */
  public SSLContext sslContext() {
    return context;
  }

  /**
   * Serves {@code certPem} (the serving certificate, then any chain) with {@code keyPem} (PKCS #8,
   * PKCS #1 or SEC 1) from the next handshake on. Input that does not parse, or a key that is not
   * the certificate's, is refused with {@link IllegalArgumentException} and the current certificate
   * stays.
   */
  public void update(String certPem, String keyPem) {
    WebhookCertificates.KeyAndChain parsed = WebhookCertificates.keyAndChain(certPem, keyPem);
    synchronized (lock) {
      generation++;
      previous = current;
      current =
          new Served(
              "webhook-" + generation,
              parsed.key(),
              parsed.chain().toArray(X509Certificate[]::new));
    }
  }

  /** The serving certificate new handshakes get, if any. */
  public Optional<X509Certificate> served() {
    Served s = current;
    return s == null ? Optional.empty() : Optional.of(s.chain()[0]);
  }

  private Served byAlias(String alias) {
    Served c = current;
    if (c != null && c.alias().equals(alias)) {
      return c;
    }
    Served p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  private final class CurrentKey extends X509ExtendedKeyManager {
    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      Served c = current;
      return c != null && c.key().getAlgorithm().equals(keyType) ? c.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String alias = chooseServerAlias(keyType, issuers, null);
      return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Served s = byAlias(alias);
      return s == null ? null : s.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Served s = byAlias(alias);
      return s == null ? null : s.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
