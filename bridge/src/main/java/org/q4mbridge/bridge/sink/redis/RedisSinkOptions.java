package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Immutable settings of one {@link RedisStreamsSink}, validated here and nowhere else: a bad value
 * fails construction with a message naming the sink and the setting.
 *
 * <p>The URI may carry ACL credentials ({@code redis://user:password@host:6379/0}) and selects TLS
 * with the {@code rediss://} scheme (certificates verified against the JVM trust store). The
 * password never appears in {@link #toString()}, in exceptions or in verdict reasons: use {@link
 * #redactedUri()} when a message needs the address.
 *
 * @param name the sink's name from the configuration, e.g. {@code redis-main}
 * @param uri {@code redis://} or {@code rediss://}, optionally with {@code user:password@}
 * @param maxLen {@code null} for no trimming; else every {@code XADD} trims the stream to about
 *     this many entries ({@code MAXLEN ~ n}), so old entries may be dropped before a worker read
 *     them
 * @param dedup whether to publish through the dedup script, so a redelivered row never appears
 *     twice on its stream within {@code dedupTtl}
 * @param dedupTtl how long a message key is remembered; required when {@code dedup}
 * @param publishTimeout how long a command may wait for Redis's answer before its verdict is {@link
 *     org.q4mbridge.bridge.sink.Verdict.Unknown}; also the connect timeout
 * @param maxMessageBytes the largest entry (field names and values in UTF-8, including the {@code
 *     key} field) the sink sends; larger messages are rejected without being sent
 */
public record RedisSinkOptions(
    String name,
    String uri,
    Long maxLen,
    boolean dedup,
    Duration dedupTtl,
    Duration publishTimeout,
    long maxMessageBytes) {

  /** Redis refuses bulk strings longer than {@code proto-max-bulk-len}, 512 MiB by default. */
  public static final long LARGEST_MESSAGE_BYTES = 512L * 1024 * 1024;

  public RedisSinkOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("redis sink: name must not be blank");
    }
    String where = "sink '" + name + "': ";
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(where + "uri must not be blank");
    }
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          where + "uri must start with redis:// or rediss://, was " + redact(uri));
    }
    try {
      RedisURI parsed = RedisURI.create(uri);
      if (parsed.getHost() == null || parsed.getHost().isBlank()) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      // Lettuce's parse errors may quote the part it could not read, password included.
      throw new IllegalArgumentException(
          where
              + "uri "
              + redact(uri)
              + " is not a valid Redis URI: "
              + scrub(e.getMessage(), uri));
    }
    if (maxLen != null && maxLen < 1) {
      throw new IllegalArgumentException(
          where + "maxLen must be at least 1 (or absent for no trimming), was " + maxLen);
    }
    if (dedup && dedupTtl == null) {
      throw new IllegalArgumentException(where + "dedupTtl is required when dedup is on");
    }
    if (dedupTtl != null && dedupTtl.toMillis() < 1) {
      throw new IllegalArgumentException(
          where + "dedupTtl must be at least 1 ms, was " + dedupTtl.toMillis() + " ms");
    }
    if (publishTimeout == null || publishTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          where
              + "publishTimeout must be at least 1 ms, was "
              + (publishTimeout == null ? "absent" : publishTimeout.toMillis() + " ms"));
    }
    if (maxMessageBytes < 1 || maxMessageBytes > LARGEST_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          where
              + "maxMessageBytes must be between 1 and "
              + LARGEST_MESSAGE_BYTES
              + " (Redis's proto-max-bulk-len), was "
              + maxMessageBytes);
    }
  }

  /** The URI with its password replaced by {@code ***}: safe for logs and messages. */
  public String redactedUri() {
    return redact(uri);
  }

  /** Removes the URI's credentials from a text that came from elsewhere (a driver message). */
  String scrub(String text) {
    return scrub(text, uri);
  }

  /** Like the record's own, but with the password redacted. */
  @Override
  public String toString() {
    return "RedisSinkOptions[name="
        + name
        + ", uri="
        + redactedUri()
        + ", maxLen="
        + maxLen
        + ", dedup="
        + dedup
        + ", dedupTtl="
        + dedupTtl
        + ", publishTimeout="
        + publishTimeout
        + ", maxMessageBytes="
        + maxMessageBytes
        + "]";
  }

  /**
   * {@code scheme://user:***@host...}. Works on the raw text, so it cannot fail on a URI that does
   * not parse. Lettuce reads user info without a colon as a password, so that is hidden whole.
   */
  static String redact(String uri) {
    int authority = uri.indexOf("://");
    if (authority < 0) {
      return uri;
    }
    authority += 3;
    int at = userInfoEnd(uri, authority);
    if (at < 0) {
      return uri;
    }
    String userInfo = uri.substring(authority, at);
    int colon = userInfo.indexOf(':');
    String redacted = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return uri.substring(0, authority) + redacted + uri.substring(at);
  }

  private static String scrub(String text, String uri) {
    if (text == null) {
      return "";
    }
    String secret = secret(uri);
    if (secret == null || secret.isEmpty()) {
      return text;
    }
    String scrubbed = text.replace(secret, "***");
    try {
      // Lettuce works with the percent-decoded password, so its messages would quote that form.
      String decoded = URLDecoder.decode(secret, StandardCharsets.UTF_8);
      return decoded.isEmpty() ? scrubbed : scrubbed.replace(decoded, "***");
    } catch (IllegalArgumentException malformedEscape) {
      return scrubbed;
    }
  }

  /** The password part of the user info (all of it when there is no colon), or null. */
  private static String secret(String uri) {
    int authority = uri.indexOf("://");
    if (authority < 0) {
      return null;
    }
    authority += 3;
    int at = userInfoEnd(uri, authority);
    if (at < 0) {
      return null;
    }
    String userInfo = uri.substring(authority, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(colon + 1);
  }

  /**
   * Index of the {@code @} ending the user info, or -1. The last {@code @} anywhere wins: a
   * password with an unencoded {@code /} or {@code ?} is exactly the misconfiguration whose error
   * message must not leak it, and hiding too much of an odd URI is the safer mistake.
   */
  private static int userInfoEnd(String uri, int authority) {
    int at = uri.lastIndexOf('@');
    return at >= authority ? at : -1;
  }
}
