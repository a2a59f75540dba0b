package org.q4mbridge.bridge.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.q4mbridge.bridge.config.MappingConfig.ColumnGroupId;
import org.q4mbridge.bridge.config.MappingConfig.ConstantGroupId;
import org.q4mbridge.bridge.config.SqsSinkConfig.StaticKeys;

/**
 * Renders a {@link BridgeConfig} back to YAML with the file's own keys, defaults filled in and
 * secrets masked. The output is itself a valid configuration (with {@code ****} in place of each
 * secret), so an operator can copy a section from it.
 */
final class ConfigRenderer {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // Keeps "100" a string when read back; MINIMIZE_QUOTES alone would drop the quotes.
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .build();

  private final Set<String> referenced;
  private final boolean reveal;

  private ConfigRenderer(Set<String> referenced, boolean reveal) {
    this.referenced = referenced;
    this.reveal = reveal;
  }

  /** The masked YAML text of {@link BridgeConfig#describe()}. */
  static String render(BridgeConfig c) {
    try {
      return "# Effective configuration from "
          + c.source()
          + " (defaults filled in; secrets shown as "
          + Secret.MASK
          + ")\n"
          + YAML.writeValueAsString(tree(c, false));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The configuration as a tree with the file's keys. With {@code reveal}, secrets keep their real
   * values: only {@link ConfigDiff} uses that, to notice a changed password, and it reports paths,
   * never values.
   */
  static ObjectNode tree(BridgeConfig c, boolean reveal) {
    ConfigRenderer r = new ConfigRenderer(c.referencedPaths(), reveal);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    r.database(root.putObject("database"), c.database());
    ObjectNode sinks = root.putObject("sinks");
    for (Map.Entry<String, SinkConfig> e : c.sinks().entrySet()) {
      r.sink(sinks.putObject(e.getKey()), "sinks." + e.getKey(), e.getValue());
    }
    ArrayNode queues = root.putArray("queues");
    for (int i = 0; i < c.queues().size(); i++) {
      r.queue(queues.addObject(), "queues[" + i + "]", c.queues().get(i));
    }
    CompareConfig.Gate g = c.compare().gate();
    ObjectNode compare = root.putObject("compare");
    ObjectNode gate = compare.putObject("gate");
    gate.put("minSamples", g.minSamples());
    gate.put("maxMissing", g.maxMissing());
    gate.put("maxMismatchRate", g.maxMismatchRate());
    gate.put("window", Durations.format(g.window()));
    CompareConfig.Transport t = c.compare().transport();
    ObjectNode transport = compare.putObject("transport");
    transport.put("enabled", t.enabled());
    ArrayNode phases = transport.putArray("phases");
    for (Phase p : Phase.values()) {
      if (t.phases().contains(p)) {
        phases.add(p.yamlName());
      }
    }
    transport.put("group", t.group());
    r.text(root.putObject("admin"), "admin", "listen", c.admin().listen());
    root.putObject("shutdown").put("grace", Durations.format(c.shutdown().grace()));
    ObjectNode poll = root.putObject("poll");
    poll.put("minInterval", Durations.format(c.poll().minInterval()));
    poll.put("maxInterval", Durations.format(c.poll().maxInterval()));
    poll.put("timeout", Durations.format(c.poll().timeout()));
    r.text(root.putObject("deadLetter"), "deadLetter", "table", c.deadLetter().table().toString());
    ObjectNode logging = root.putObject("logging");
    logging.put("format", Section.yamlName(c.logging().format()));
    logging.put("logPayloads", c.logging().logPayloads());
    return root;
  }

  private String secret(Secret s) {
    return reveal ? s.reveal() : s.redacted();
  }

  private void database(ObjectNode o, DatabaseConfig d) {
    text(o, "database", "url", d.url());
    text(o, "database", "user", d.user());
    d.password().ifPresent(p -> o.put("password", secret(p)));
    text(o, "database", "schema", d.schema());
    o.putObject("pool").put("maxSize", d.pool().maxSize());
  }

  private void sink(ObjectNode o, String path, SinkConfig sink) {
    o.put("type", sink.type());
    // Java 17 has no pattern switch; the sealed interface keeps this list complete.
    if (sink instanceof RedisSinkConfig r) {
      o.put("uri", secret(r.uri()));
      r.user().ifPresent(u -> text(o, path, "user", u));
      r.password().ifPresent(p -> o.put("password", secret(p)));
      o.put("tls", r.tls());
      r.maxLen().ifPresent(n -> o.put("maxLen", n));
      o.put("dedup", r.dedup());
      o.put("dedupTtl", Durations.format(r.dedupTtl()));
    } else if (sink instanceof SqsSinkConfig s) {
      text(o, path, "region", s.region());
      s.endpoint().ifPresent(e -> text(o, path, "endpoint", e));
      s.queueUrlPrefix().ifPresent(p -> text(o, path, "queueUrlPrefix", p));
      if (s.credentials() instanceof StaticKeys k) {
        ObjectNode keys = o.putObject("credentials");
        keys.put("accessKeyId", secret(k.accessKeyId()));
        keys.put("secretAccessKey", secret(k.secretAccessKey()));
        k.sessionToken().ifPresent(t -> keys.put("sessionToken", secret(t)));
      } else {
        o.put("credentials", "default");
      }
    } else if (sink instanceof RabbitSinkConfig r) {
      o.put("uri", secret(r.uri()));
      text(o, path, "exchange", r.exchange());
      o.put("exchangeType", Section.yamlName(r.exchangeType()));
      o.put("declare", r.declare());
      o.put("mandatory", r.mandatory());
    }
    o.put("publishTimeout", Durations.format(sink.publishTimeout()));
    o.put("maxMessageBytes", ByteSizes.format(sink.maxMessageBytes()));
  }

  private void queue(ObjectNode o, String path, QueueConfig q) {
    text(o, path, "table", q.table().toString());
    o.put("mode", Section.yamlName(q.mode()));
    o.put("phase", q.phase().yamlName());
    strings(o.putArray("sinks"), path + ".sinks", q.sinks());
    strings(o.putArray("bestEffort"), path + ".bestEffort", q.bestEffort());
    text(o, path, "destination", q.destination());
    text(o, path, "shadowDestination", q.shadowDestination());
    o.put("consumers", q.consumers());
    o.put("batchSize", q.batchSize());
    o.put("maxBatchBytes", ByteSizes.format(q.maxBatchBytes()));
    o.put("ordered", q.ordered());
    ObjectNode retry = o.putObject("retry");
    retry.put("maxAttempts", q.retry().maxAttempts());
    retry.put("backoff", backoff(q.retry().minBackoff(), q.retry().maxBackoff()));
    q.maxMessageBytes().ifPresent(n -> o.put("maxMessageBytes", ByteSizes.format(n)));
    q.condition().ifPresent(c -> text(o, path, "condition", c));
    q.rowIdColumn().ifPresent(c -> text(o, path, "rowIdColumn", c));
    if (q.mode() == SourceMode.NATIVE) {
      o.put("queueWaitForm", Section.yamlName(q.queueWaitForm()));
    }
    mapping(o.putObject("mapping"), path + ".mapping", q.mapping());
    o.put("force", q.force());
  }

  private void mapping(ObjectNode o, String path, MappingConfig m) {
    text(o, path, "type", m.typeColumn());
    text(o, path, "payload", m.payloadColumn());
    o.put("body", Section.yamlName(m.body()));
    m.rawColumn().ifPresent(c -> text(o, path, "rawColumn", c));
    strings(o.putArray("extraFields"), path + ".extraFields", m.extraFields());
    m.groupId()
        .ifPresent(
            g -> {
              ObjectNode group = o.putObject("groupId");
              if (g instanceof ColumnGroupId c) {
                text(group, path + ".groupId", "column", c.column());
              } else if (g instanceof ConstantGroupId c) {
                text(group, path + ".groupId", "constant", c.value());
              }
            });
    m.routingKeyColumn().ifPresent(c -> text(o, path, "routingKeyColumn", c));
    text(o, path, "createdAtColumn", m.createdAtColumn());
  }

  static String backoff(Duration min, Duration max) {
    return Durations.format(min) + ".." + Durations.format(max);
  }

  /** Puts a plain string, masked when the file gave it through a reference. */
  private void text(ObjectNode o, String path, String key, String value) {
    o.put(key, !reveal && referenced.contains(path + "." + key) ? Secret.MASK : value);
  }

  private void strings(ArrayNode a, String path, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      String at = path + "[" + i + "]";
      a.add(!reveal && referenced.contains(at) ? Secret.MASK : values.get(i));
    }
  }
}
