package org.q4mbridge.bridge.config;

import java.util.Objects;

/**
 * A configuration value that can carry a credential: a password, an access key, or a broker URI
 * that may embed {@code user:password@}. Its {@link #toString()} never shows the credential, so a
 * record holding a {@code Secret} can be logged without leaking it; code that needs the real value
 * asks for it explicitly with {@link #reveal()}.
 *
 * <p>Equality is by the real value, so a changed password shows up in {@link ConfigDiff}.
 */
public final class Secret {
  static final String MASK = "****";

  private final String value;
  private final String redacted;

  private Secret(String value, String redacted) {
    this.value = Objects.requireNonNull(value, "value");
    this.redacted = Objects.requireNonNull(redacted, "redacted");
  }

  /** A value that is secret as a whole (a password, a key): always shown as {@code ****}. */
  public static Secret of(String value) {
    return new Secret(value, MASK);
  }

  /**
   * A URI whose user-info is the secret part: shown with the user-info masked ({@code
   * amqp://****@host:5672/}), or as {@code ****} as a whole when it came from a {@code ${…}}
   * reference (then any part of it may be the secret).
   */
  static Secret uri(String value, boolean fromReference) {
    return new Secret(value, fromReference ? MASK : maskUserInfo(value));
  }

  /** The real value, for the client library that needs it. Never log it. */
  public String reveal() {
    return value;
  }

  /** The value as {@link BridgeConfig#describe()} and error messages show it. */
  public String redacted() {
    return redacted;
  }

  /**
   * Replaces the {@code user:password} of {@code scheme://user:password@host…} with {@code ****}.
   */
  static String maskUserInfo(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri;
    }
    int authorityStart = scheme + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    // The last '@' of the authority: passwords may contain '@' when not percent-encoded.
    int at = uri.lastIndexOf('@', authorityEnd - 1);
    if (at < authorityStart) {
      return uri;
    }
    return uri.substring(0, authorityStart) + MASK + uri.substring(at);
  }

  /** True when {@code uri} embeds user-info ({@code user[:password]@}). */
  static boolean hasUserInfo(String uri) {
    return !maskUserInfo(uri).equals(uri);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The redacted form; never the real value. */
  @Override
  public String toString() {
    return redacted;
  }
}
