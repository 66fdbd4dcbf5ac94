package io.schemagate.operator.kube;

import java.util.regex.Pattern;

/**
 * Text from a pod, a Job or a runner result made fit for a status message or an Event: one line,
 * about 300 characters, URLs without credentials.
 */
public final class SafeText {
  static final int LIMIT = 300;

  private static final Pattern URL_USERINFO =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s\"']+@");
  private static final Pattern URL_SECRET_PARAM =
      Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey|user|username)=)[^&;\\s\"']*");
  private static final Pattern BLANKS = Pattern.compile("[\\s\\p{Cntrl}]+");

  private SafeText() {}

  /** {@code text} redacted, on one line and capped; null stays null. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    String out = URL_USERINFO.matcher(text).replaceAll("$1");
    out = URL_SECRET_PARAM.matcher(out).replaceAll("$1***");
    out = BLANKS.matcher(out).replaceAll(" ").strip();
    return cap(out);
  }

  private static String cap(String text) {
    if (text.length() <= LIMIT) {
      return text;
    }
    int end = LIMIT - 3;
    // Never split a surrogate pair: half a character is not valid text in JSON or YAML.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
