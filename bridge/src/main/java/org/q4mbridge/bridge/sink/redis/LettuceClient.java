package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.q4mbridge.bridge.sink.SinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client with its own event loops, configured the way every Redis connection of the
 * bridge must be. Package-private: the sink and {@link ConsumerGroups} are its only users.
 */
final class LettuceClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LettuceClient.class);

  /** Bound for each shutdown step; Netty's quiet period is skipped (nothing may still be sent). */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Lettuce's default backoff grows to 30 s; one bridge holds two connections, so reconnecting
   * every 2 s at most costs Redis nothing and ends an outage's back-pressure within 2 s of the
   * server's return.
   */
  private static final Delay RECONNECT_DELAY =
      Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS);

  private final RedisSinkOptions options;
  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;

  private LettuceClient(RedisSinkOptions options) {
    this.options = options;
    this.uri = RedisURI.create(options.uri());
    // The URI timeout bounds the connection handshake (HELLO/AUTH/PING) and synchronous calls.
    uri.setTimeout(options.publishTimeout());
    this.resources =
        ClientResources.builder()
            // Two connections per sink: more event loops would only add idle threads.
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(RECONNECT_DELAY)
            .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // A publish during an outage must answer at once (Unknown) instead of buffering an
            // unbounded backlog in memory; this also cancels, rather than replays, commands that
            // were in flight when the connection broke, so a reconnect never sends them twice.
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(options.publishTimeout()))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(options.publishTimeout())
                    .keepAlive(true)
                    .build())
            .build());
  }

  static LettuceClient create(RedisSinkOptions options) {
    return new LettuceClient(options);
  }

  /**
   * Opens a connection (blocking, at most the publish timeout per step).
   *
   * @throws SinkException {@code <name>: cannot connect to <redacted uri>: <reason>}
   */
  StatefulRedisConnection<String, String> connect() throws SinkException {
    try {
      return client.connect(StringCodec.UTF8);
    } catch (RuntimeException e) {
      throw new SinkException(
          options.name() + ": cannot connect to " + options.redactedUri() + ": " + reason(e), e);
    }
  }

  /** The one-line cause of a failure, without the password, for operator messages. */
  String reason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof RedisCommandExecutionException) {
        break; // the server's own words (WRONGPASS, NOPERM…) are the best reason
      }
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    String reason;
    if (root instanceof ConnectException) {
      // Netty words it "Connection refused: /127.0.0.1:6399" (or with a "finishConnect(..)
      // failed: " prefix); the URI in front of the reason already says where.
      reason =
          message.contains("Connection refused")
              ? "Connection refused"
              : message.replaceFirst(": [^ ]*/[^ ]*$", "");
    } else if (root instanceof UnknownHostException) {
      reason = "unknown host " + message;
    } else if (root instanceof SSLException) {
      reason = "TLS handshake failed: " + message;
    } else if (message.isEmpty()) {
      reason = root.getClass().getSimpleName();
    } else {
      reason = message;
    }
    return options.scrub(reason);
  }

  /** Closes every connection of this client and its event loops; each step bounded, idempotent. */
  @Override
  public void close() {
    long timeoutMillis = CLOSE_TIMEOUT.toMillis();
    try {
      client
          .shutdownAsync(0, timeoutMillis, TimeUnit.MILLISECONDS)
          .get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("{}: redis client did not shut down cleanly: {}", options.name(), reason(e));
    }
    try {
      resources
          .shutdown(0, timeoutMillis, TimeUnit.MILLISECONDS)
          .await(timeoutMillis + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
