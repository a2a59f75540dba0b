package org.q4mbridge.bridge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The configuration file of a scenario: one emulated queue ({@link JobQueue}) in phase cutover,
 * forwarded to one Redis stream by the sink {@code redis-main}. Defaults follow the scenarios'
 * budget (4 consumers × batch 200); each {@code with…} returns a changed copy.
 *
 * <p>The database password, when the environment sets one, is written as {@code
 * ${env:Q4M_TEST_MYSQL_PASSWORD}}, which child processes inherit.
 */
public final class BridgeYaml {
  private final JobQueue queue;
  private final String redisUri;
  private final String stream;
  private int consumers = 4;
  private int batchSize = 200;
  private String grace = "30s";
  private String publishTimeout = "5s";
  private String queueMaxBytes;
  private int maxAttempts = 5;
  private String backoff = "200ms..5s";
  private List<String> mapping = List.of();

  private BridgeYaml(JobQueue queue, String redisUri, String stream) {
    this.queue = queue;
    this.redisUri = redisUri;
    this.stream = stream;
  }

  /** {@code queue} → stream {@code stream} on the Redis at {@code redisUri}. */
  public static BridgeYaml forQueue(JobQueue queue, String redisUri, String stream) {
    return new BridgeYaml(queue, redisUri, stream);
  }

  private BridgeYaml copy() {
    BridgeYaml c = new BridgeYaml(queue, redisUri, stream);
    c.consumers = consumers;
    c.batchSize = batchSize;
    c.grace = grace;
    c.publishTimeout = publishTimeout;
    c.queueMaxBytes = queueMaxBytes;
    c.maxAttempts = maxAttempts;
    c.backoff = backoff;
    c.mapping = mapping;
    return c;
  }

  public BridgeYaml withConsumers(int consumers, int batchSize) {
    BridgeYaml c = copy();
    c.consumers = consumers;
    c.batchSize = batchSize;
    return c;
  }

  /** {@code shutdown.grace}, e.g. {@code 8s}. */
  public BridgeYaml withGrace(String grace) {
    BridgeYaml c = copy();
    c.grace = grace;
    return c;
  }

  /** The sink's {@code publishTimeout}, e.g. {@code 2s}. */
  public BridgeYaml withPublishTimeout(String publishTimeout) {
    BridgeYaml c = copy();
    c.publishTimeout = publishTimeout;
    return c;
  }

  /** The queue's {@code maxMessageBytes}, e.g. {@code 4KiB}. */
  public BridgeYaml withQueueMaxMessageBytes(String size) {
    BridgeYaml c = copy();
    c.queueMaxBytes = size;
    return c;
  }

  /** The queue's {@code retry}. */
  public BridgeYaml withRetry(int maxAttempts, String backoff) {
    BridgeYaml c = copy();
    c.maxAttempts = maxAttempts;
    c.backoff = backoff;
    return c;
  }

  /** The queue's {@code mapping:} block, one line per setting ({@code "body: raw-column"}). */
  public BridgeYaml withMapping(String... lines) {
    BridgeYaml c = copy();
    c.mapping = List.of(lines);
    return c;
  }

  /** The file's text. */
  public String text() {
    List<String> l = new ArrayList<>();
    l.add("database:");
    l.add("  url: \"" + queue.database().url() + "\"");
    l.add("  user: \"" + TestDatabase.USER + "\"");
    if (!TestDatabase.PASSWORD.isEmpty()) {
      l.add("  password: \"${env:Q4M_TEST_MYSQL_PASSWORD}\"");
    }
    l.add("sinks:");
    l.add("  redis-main:");
    l.add("    type: redis-streams");
    l.add("    uri: \"" + redisUri + "\"");
    l.add("    dedup: true");
    l.add("    dedupTtl: 1h");
    l.add("    publishTimeout: " + publishTimeout);
    l.add("queues:");
    l.add("  - table: " + JobQueue.TABLE);
    l.add("    mode: emulated");
    l.add("    phase: cutover");
    // Straight to cutover with no comparison data: the gate is overridden, as a test may.
    l.add("    force: true");
    l.add("    sinks: [redis-main]");
    l.add("    destination: \"" + stream + "\"");
    l.add("    consumers: " + consumers);
    l.add("    batchSize: " + batchSize);
    l.add("    retry: {maxAttempts: " + maxAttempts + ", backoff: \"" + backoff + "\"}");
    if (queueMaxBytes != null) {
      l.add("    maxMessageBytes: " + queueMaxBytes);
    }
    if (!mapping.isEmpty()) {
      l.add("    mapping:");
      mapping.forEach(m -> l.add("      " + m));
    }
    l.add("shutdown:");
    l.add("  grace: " + grace);
    // Several bridges run during the build: each takes any free admin port.
    l.add("admin: { listen: \"127.0.0.1:0\" }");
    l.add("");
    return String.join("\n", l);
  }

  /** Writes the file to {@code file} (replacing it) and returns its path. */
  public Path writeTo(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
