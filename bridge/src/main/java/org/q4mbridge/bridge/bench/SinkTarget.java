package org.q4mbridge.bridge.bench;

/**
 * The broker side of a bench run: the sink's configuration, and the destinations it creates for
 * each scenario and deletes after it, so nothing of the bench stays on a shared broker. Every
 * destination name starts with {@code q4m-bench}.
 *
 * <p>Not thread-safe; used by the bench's main thread only.
 */
interface SinkTarget extends AutoCloseable {

  /** Which broker. */
  SinkKind kind();

  /** The sink's entry under {@code sinks:} in the bridge's YAML, as one flow mapping. */
  String sinkYaml();

  /** The destination of one scenario (stream, queue or SQS queue name). */
  String destination(String scenario);

  /** Creates (or empties) the destination. */
  void prepare(String destination) throws Exception;

  /** Deletes the destination and anything the sink kept for it; never throws. */
  void cleanup(String destination);

  /** The broker's name and version, for the report. */
  String describe();

  @Override
  void close();

  /** The target for the settings' sink. */
  static SinkTarget open(BenchSettings s) throws Exception {
    String prefix = s.destinationPrefix();
    return switch (s.sink()) {
      case REDIS -> new RedisTarget(s.redisUri(), prefix);
      case RABBITMQ -> new RabbitTarget(s.rabbitUri(), prefix);
      case SQS -> new SqsTarget(s.sqsEndpoint(), s.sqsRegion(), prefix);
    };
  }

  /** A YAML double-quoted scalar; {@code ${} is escaped so the loader does not resolve it. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "$${") + "\"";
  }
}
