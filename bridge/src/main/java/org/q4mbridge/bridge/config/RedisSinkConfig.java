package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Redis Streams sink ({@code type: redis-streams}).
 *
 * @param name the key under {@code sinks:}
 * @param uri {@code redis://}, {@code rediss://} (TLS) or {@code redis-sentinel://} URI, as Lettuce
 *     reads it; may embed credentials
 * @param user ACL user name, when not in the URI
 * @param password password, when not in the URI
 * @param tls true for TLS: {@code rediss://} or {@code tls: true}
 * @param maxLen approximate stream cap ({@code XADD … MAXLEN ~ n}); empty = never trimmed
 * @param dedup whether each {@code XADD} is guarded by a marker key per message key, so a resent
 *     message is not added twice (default true)
 * @param dedupTtl how long a dedup key lives (default 24h); longer than any redelivery window
 * @param publishTimeout longest wait for one pipelined batch (default 5s)
 * @param maxMessageBytes largest body (default 1MiB; Redis itself allows up to 512MiB)
 */
public record RedisSinkConfig(
    String name,
    Secret uri,
    Optional<String> user,
    Optional<Secret> password,
    boolean tls,
    OptionalLong maxLen,
    boolean dedup,
    Duration dedupTtl,
    Duration publishTimeout,
    long maxMessageBytes)
    implements SinkConfig {

  /** The {@code type:} tag. */
  public static final String TYPE = "redis-streams";

  public RedisSinkConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(maxLen, "maxLen");
    Objects.requireNonNull(dedupTtl, "dedupTtl");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
