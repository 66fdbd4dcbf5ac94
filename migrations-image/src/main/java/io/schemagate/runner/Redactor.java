package io.schemagate.runner;

import java.util.regex.Pattern;

/** Removes credentials from text that may reach users: JDBC URLs, and the password itself. */
public final class Redactor {
  private static final Pattern URL_USERINFO =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s\"']+@");
  private static final Pattern URL_SECRET_PARAM =
      Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey|user|username)=)[^&;\\s\"']*");

  private final String password;

  public Redactor(String password) {
    this.password = password == null || password.isEmpty() ? null : password;
  }

  /**
   * Strips user info and secret query parameters from URLs, and every occurrence of the password.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    // The password first: a URL pattern that stops inside it (at an '@', '&' or '/' the password
    // contains) would otherwise leave its tail behind where the literal can no longer be found.
    String out = password == null ? text : text.replace(password, "***");
    out = URL_USERINFO.matcher(out).replaceAll("$1");
    return URL_SECRET_PARAM.matcher(out).replaceAll("$1***");
  }
}
