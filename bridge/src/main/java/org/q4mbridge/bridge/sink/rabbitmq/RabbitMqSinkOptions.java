package org.q4mbridge.bridge.sink.rabbitmq;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one RabbitMQ sink, validated in one place: the constructor rejects every bad
 * value at once with a message naming the sink and the field, and never clamps a value silently.
 * Immutable and thread-safe.
 *
 * @param name the sink's name in the configuration (e.g. {@code rabbit-main}), used in every error
 *     and log line
 * @param uri {@code amqp://user:pass@host:port/vhost} or {@code amqps://…}; the vhost is
 *     URL-encoded ({@code %2F} for {@code /}); a URI without a vhost, or with a bare trailing
 *     {@code /}, means the default vhost {@code /} (an empty vhost name never exists in RabbitMQ,
 *     so that is the only useful reading). With {@code amqps} the broker's certificate is verified
 *     against the JVM's trust store and its host name against the certificate. The password is
 *     never printed: see {@link #redactedUri()}.
 * @param exchange the exchange every message is published to; {@code ""} is the default exchange,
 *     which routes by queue name
 * @param declare {@code false}: the exchange must exist already ({@link RabbitMqSink#probe} checks
 *     it passively); {@code true}: the sink declares it as a <em>durable topic</em> exchange.
 *     Topic, because a binding without wildcards matches exactly as a direct exchange would, while
 *     operators can still bind {@code jobs.#} for a shadow or verify queue; durable, because the
 *     messages are persistent and an exchange that vanishes with a broker restart would make them
 *     unroutable. An existing exchange of another type is reported, not replaced.
 * @param mandatory publish with the mandatory flag, so that a message no queue is bound for comes
 *     back (basic.return) and is rejected as unroutable instead of being confirmed and silently
 *     dropped by the broker. Keep it on (the default) unless unroutable messages are intended.
 * @param publishTimeout how long a batch waits for the broker's confirms before the rest are
 *     answered {@link org.q4mbridge.bridge.sink.Verdict.Unknown}; also bounds connecting, the
 *     handshake, channel operations and closing
 * @param maxMessageBytes the largest body sent, in UTF-8 bytes; larger ones are rejected before
 *     sending. At most 512 MiB (RabbitMQ's hard limit); keep it at or below the broker's {@code
 *     max_message_size} (128 MiB by default).
 * @param routingKeyOverride a routing key used for every message instead of its destination, or
 *     {@code null} to route by {@link org.q4mbridge.bridge.sink.OutboundMessage#destination()}
 * @param recoveryInterval how long to wait between reconnection attempts after the connection was
 *     lost
 */
public record RabbitMqSinkOptions(
    String name,
    String uri,
    String exchange,
    boolean declare,
    boolean mandatory,
    Duration publishTimeout,
    long maxMessageBytes,
    String routingKeyOverride,
    Duration recoveryInterval) {

  /** RabbitMQ refuses larger messages whatever {@code max_message_size} says. */
  public static final long BROKER_MAX_MESSAGE_BYTES = 512L * 1024 * 1024;

  /** RabbitMQ's default {@code max_message_size}. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 128L * 1024 * 1024;

  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(5);

  /** AMQP short strings (exchange names, routing keys) hold at most 255 bytes. */
  private static final int SHORT_STRING_BYTES = 255;

  public RabbitMqSinkOptions {
    List<String> problems = new ArrayList<>();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rabbitmq sink: name must not be blank");
    }
    if (uri == null || uri.isBlank()) {
      problems.add("uri must be set (amqp://user:pass@host:port/vhost)");
    } else {
      String uriProblem = uriProblem(uri);
      if (uriProblem != null) {
        problems.add(uriProblem);
      }
    }
    if (exchange == null) {
      problems.add("exchange must be set (\"\" is the default exchange)");
    } else {
      if (utf8Length(exchange) > SHORT_STRING_BYTES) {
        problems.add("exchange is longer than 255 bytes");
      }
      if (declare && exchange.isEmpty()) {
        problems.add("declare: true cannot declare the default exchange \"\"; set declare: false");
      } else if (declare && exchange.startsWith("amq.")) {
        problems.add(
            "declare: true cannot declare '"
                + exchange
                + "' (names starting with 'amq.' are reserved); set declare: false");
      }
    }
    if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
      problems.add("publishTimeout must be positive, got " + publishTimeout);
    } else if (publishTimeout.toMillis() > Integer.MAX_VALUE) {
      problems.add("publishTimeout is too long, got " + publishTimeout);
    }
    if (maxMessageBytes <= 0 || maxMessageBytes > BROKER_MAX_MESSAGE_BYTES) {
      problems.add(
          "maxMessageBytes must be between 1 and "
              + BROKER_MAX_MESSAGE_BYTES
              + " (RabbitMQ's hard limit), got "
              + maxMessageBytes);
    }
    if (routingKeyOverride != null && utf8Length(routingKeyOverride) > SHORT_STRING_BYTES) {
      problems.add("routingKeyOverride is longer than 255 bytes");
    }
    if (recoveryInterval == null || recoveryInterval.isNegative() || recoveryInterval.isZero()) {
      problems.add("recoveryInterval must be positive, got " + recoveryInterval);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "rabbitmq sink '" + name + "': " + String.join("; ", problems));
    }
  }

  /**
   * Options with the defaults: no declaring (the exchange must exist), mandatory publishing, 10 s
   * publish timeout, RabbitMQ's default message size limit, routing by destination, reconnecting
   * every 5 s.
   */
  public static RabbitMqSinkOptions of(String name, String uri, String exchange) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        false,
        true,
        DEFAULT_PUBLISH_TIMEOUT,
        DEFAULT_MAX_MESSAGE_BYTES,
        null,
        DEFAULT_RECOVERY_INTERVAL);
  }

  public RabbitMqSinkOptions withDeclare(boolean value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        value,
        mandatory,
        publishTimeout,
        maxMessageBytes,
        routingKeyOverride,
        recoveryInterval);
  }

  public RabbitMqSinkOptions withMandatory(boolean value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        declare,
        value,
        publishTimeout,
        maxMessageBytes,
        routingKeyOverride,
        recoveryInterval);
  }

  public RabbitMqSinkOptions withPublishTimeout(Duration value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        declare,
        mandatory,
        value,
        maxMessageBytes,
        routingKeyOverride,
        recoveryInterval);
  }

  public RabbitMqSinkOptions withMaxMessageBytes(long value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        declare,
        mandatory,
        publishTimeout,
        value,
        routingKeyOverride,
        recoveryInterval);
  }

  public RabbitMqSinkOptions withRoutingKeyOverride(String value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        declare,
        mandatory,
        publishTimeout,
        maxMessageBytes,
        value,
        recoveryInterval);
  }

  public RabbitMqSinkOptions withRecoveryInterval(Duration value) {
    return new RabbitMqSinkOptions(
        name,
        uri,
        exchange,
        declare,
        mandatory,
        publishTimeout,
        maxMessageBytes,
        routingKeyOverride,
        value);
  }

  /** The URI without its password ({@code amqp://guest@127.0.0.1:5672/%2F}), safe to log. */
  public String redactedUri() {
    return redact(uri);
  }

  /** The vhost the URI names, decoded ({@code /} when it names none). */
  public String virtualHost() {
    return virtualHost(URI.create(uri));
  }

  /** Whether {@code routingKey} could be sent: AMQP limits it to 255 UTF-8 bytes. */
  static boolean routingKeyFits(String routingKey) {
    return utf8Length(routingKey) <= SHORT_STRING_BYTES;
  }

  /**
   * The URI to hand to the client: with the vhost spelled out, since the client reads a bare
   * trailing {@code /} as the empty vhost name.
   */
  String clientUri() {
    URI parsed = URI.create(uri);
    String raw = parsed.getRawPath();
    if (raw == null || raw.isEmpty() || raw.equals("/")) {
      return parsed.getScheme()
          + "://"
          + parsed.getRawAuthority()
          + "/%2F"
          + (parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery());
    }
    return uri;
  }

  private static String virtualHost(URI parsed) {
    String path = parsed.getPath();
    return path == null || path.isEmpty() || path.equals("/") ? "/" : path.substring(1);
  }

  private static String uriProblem(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      // getReason() leaves out the input, which holds the password.
      return "uri is not a valid URI (" + e.getReason() + ")";
    }
    String scheme = parsed.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("amqp") || scheme.equalsIgnoreCase("amqps"))) {
      return "uri must start with amqp:// or amqps://, got " + redact(uri);
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      return "uri names no host: " + redact(uri);
    }
    String raw = parsed.getRawPath();
    if (raw != null && raw.length() > 1 && raw.indexOf('/', 1) >= 0) {
      return "uri path must be one vhost (write '/' as %2F): " + redact(uri);
    }
    return null;
  }

  /**
   * Drops the password from {@code scheme://user:password@host…} by plain string work, so that even
   * a URI that {@link URI} cannot parse (and would quote whole in its error) is shown without it.
   * Everything from the first {@code :} after the scheme to the last {@code @} goes: a password
   * with a raw {@code /} or {@code @} in it is still hidden, at worst along with more than needed.
   */
  static String redact(String uri) {
    if (uri == null) {
      return null;
    }
    int scheme = uri.indexOf("://");
    int authorityStart = scheme < 0 ? 0 : scheme + 3;
    int at = uri.lastIndexOf('@');
    int colon = uri.indexOf(':', authorityStart);
    if (at < authorityStart || colon < 0 || colon > at) {
      return uri;
    }
    return uri.substring(0, colon) + uri.substring(at);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
