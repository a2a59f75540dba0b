package org.q4mbridge.bridge;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.CompareConfig;
import org.q4mbridge.bridge.config.DatabaseConfig;
import org.q4mbridge.bridge.config.MappingConfig;
import org.q4mbridge.bridge.config.Phase;
import org.q4mbridge.bridge.config.QueueConfig;
import org.q4mbridge.bridge.config.QueueWaitForm;
import org.q4mbridge.bridge.config.RedisSinkConfig;
import org.q4mbridge.bridge.config.SinkConfig;
import org.q4mbridge.bridge.config.SourceMode;
import org.q4mbridge.bridge.pump.Mapping;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.pump.QueuePump;
import org.q4mbridge.bridge.pump.RetryPolicy;
import org.q4mbridge.bridge.pump.SourceSpec;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.redis.RedisShadowReader;
import org.q4mbridge.bridge.sink.redis.RedisSinkOptions;
import org.q4mbridge.bridge.sink.redis.RedisStreamsSink;
import org.q4mbridge.bridge.verify.TransportVerification;
import org.q4mbridge.compare.jdbc.LedgerWriter;
import org.q4mbridge.compare.jdbc.Tables;
import org.q4mbridge.compare.jdbc.WriterOptions;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.JdbcEpochStore;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.ConditionSql;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;
import org.q4mbridge.q4m.engine.NativeQueueSource;

/**
 * Wires the bridge by hand from a {@link BridgeConfig}: connections, sinks, queue plans and
 * sources. No DI framework; every object's construction is visible here.
 */
public final class Assembly {
  /** Tables the bridge owns in its own schema. */
  public static final String EPOCH_TABLE = "q4m_epoch";

  private Assembly() {}

  /** Dedicated connections to the queue database (never pooled: owner mode is per connection). */
  public static ConnectionFactory connections(DatabaseConfig db) {
    Properties p = new Properties();
    // A consumer's statements are short; a dead server must not hang a consumer forever.
    p.setProperty("socketTimeout", "60000");
    return ConnectionFactory.jdbc(
        db.url(), db.user(), db.password().map(s -> s.reveal()).orElse(null), p);
  }

  /** Plain JDBC URL (Flyway and admin work bypass the jdbc:q4m: shim). */
  public static String plainUrl(String url) {
    return url.startsWith("jdbc:q4m:") ? "jdbc:" + url.substring("jdbc:q4m:".length()) : url;
  }

  /** Constructs (does not start) every configured sink. */
  public static Map<String, Sink> sinks(BridgeConfig config) {
    Map<String, Sink> out = new LinkedHashMap<>();
    for (Map.Entry<String, SinkConfig> e : config.sinks().entrySet()) {
      out.put(e.getKey(), sink(e.getValue()));
    }
    return out;
  }

  static Sink sink(SinkConfig c) {
    if (c instanceof RedisSinkConfig r) {
      return new RedisStreamsSink(
          new RedisSinkOptions(
              r.name(),
              redisUriFor(r),
              r.maxLen().isPresent() ? r.maxLen().getAsLong() : null,
              r.dedup(),
              r.dedupTtl(),
              r.publishTimeout(),
              r.maxMessageBytes()));
    }
    return Sinks.other(c);
  }

  /** Folds the separate user/password/tls keys into the Redis URI Lettuce takes. */
  public static String redisUriFor(RedisSinkConfig r) {
    String uri = r.uri().reveal();
    if (r.tls() && uri.startsWith("redis://")) {
      uri = "rediss://" + uri.substring("redis://".length());
    }
    if (r.password().isPresent() && !uri.contains("@")) {
      int start = uri.indexOf("://") + 3;
      String user = r.user().orElse("");
      uri =
          uri.substring(0, start)
              + encode(user)
              + ":"
              + encode(r.password().get().reveal())
              + "@"
              + uri.substring(start);
    }
    return uri;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** One plan per configured queue, for its phase. */
  public static List<QueuePlan> plans(BridgeConfig config) {
    List<QueuePlan> out = new ArrayList<>();
    for (QueueConfig q : config.queues()) {
      out.add(plan(config, q));
    }
    return out;
  }

  /** The table the bridge reads in the queue's phase: the tap in mirror and shadow. */
  public static TableRef sourceTable(QueueConfig q) {
    return switch (q.phase()) {
      case MIRROR, SHADOW -> new TableRef(q.table().schema(), tapName(q.table().table()));
      default -> q.table();
    };
  }

  /** {@code <table>__tap}: the twin table the tap trigger fills (DESIGN.md §6.1). */
  public static String tapName(String table) {
    return table + org.q4mbridge.q4m.tap.Tap.TABLE_SUFFIX;
  }

  static QueuePlan plan(BridgeConfig config, QueueConfig q) {
    TableRef table = sourceTable(q);
    SourceSpec source =
        new SourceSpec(
            q.mode() == SourceMode.NATIVE ? SourceSpec.Mode.NATIVE : SourceSpec.Mode.EMULATED,
            List.of(new Subscription(table, q.condition().orElse(null))),
            q.rowIdColumn().orElse(null),
            q.queueWaitForm() == QueueWaitForm.WHERE);
    String destination = q.publishDestination().orElse(q.destination());
    QueuePump.Settings settings =
        new QueuePump.Settings(
            q.table().toString(),
            q.ordered() ? 1 : q.consumers(),
            q.batchSize(),
            q.ordered(),
            config.poll().timeout(),
            publishTimeout(config, q),
            new RetryPolicy(
                q.retry().maxAttempts(), q.retry().minBackoff(), q.retry().maxBackoff()),
            destination,
            q.maxMessageBytes().orElse(0),
            q.maxBatchBytes());
    return new QueuePlan(
        q.table().toString(),
        q.phase().yamlName(),
        source,
        settings,
        mapping(q.mapping()),
        q.sinks(),
        q.bestEffort());
  }

  /** The longest publish timeout of the queue's required sinks, plus a margin for their answer. */
  private static Duration publishTimeout(BridgeConfig config, QueueConfig q) {
    Duration max = Duration.ofSeconds(1);
    for (String s : q.sinks()) {
      Duration d = Sinks.publishTimeout(config.sinks().get(s));
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max.plusMillis(500);
  }

  static Mapping mapping(MappingConfig m) {
    String groupColumn = null;
    String groupConstant = null;
    if (m.groupId().isPresent()) {
      if (m.groupId().get() instanceof MappingConfig.ColumnGroupId c) {
        groupColumn = c.column();
      } else if (m.groupId().get() instanceof MappingConfig.ConstantGroupId k) {
        groupConstant = k.value();
      }
    }
    return new Mapping(
        m.typeColumn(),
        m.payloadColumn(),
        m.body() == MappingConfig.BodyFormat.RAW_COLUMN ? Mapping.Body.RAW : Mapping.Body.ENVELOPE,
        m.rawColumn().orElse(null),
        false,
        m.extraFields(),
        groupColumn,
        groupConstant,
        m.routingKeyColumn().orElse(null),
        m.createdAtColumn());
  }

  /** Opens queue sources for plans, sharing one epoch tracker per queue. */
  public static Function<QueuePlan, QueuePump.SourceOpener> sources(
      BridgeConfig config, ConnectionFactory connections) {
    String schema = config.database().schema();
    EpochTracker.Store store = new JdbcEpochStore(connections, new TableRef(schema, EPOCH_TABLE));
    Function<TableRef, EpochTracker> epochs = EpochTracker.registry(store);
    DeadLetterTable deadLetters = new DeadLetterTable(config.deadLetter().table());
    return plan ->
        () -> {
          SourceSpec s = plan.source();
          if (s.mode() == SourceSpec.Mode.NATIVE) {
            return NativeQueueSource.open(
                new NativeQueueSource.Options(
                    connections, s.subscriptions(), s.whereForm(), deadLetters, epochs, null));
          }
          return EmulatedQueueSource.open(
              new EmulatedQueueSource.Options(
                  connections,
                  s.subscriptions(),
                  s.rowIdColumn(),
                  deadLetters,
                  epochs,
                  config.poll().minInterval(),
                  config.poll().maxInterval(),
                  ConditionSql.INSTANCE));
        };
  }

  /** Phase checks and steps (tap, phase log, gate) for a configuration. */
  public static org.q4mbridge.bridge.phase.PhaseController phases(BridgeConfig config) {
    ConnectionFactory f = connections(config.database());
    return new org.q4mbridge.bridge.phase.PhaseController(
        f,
        new org.q4mbridge.bridge.phase.PhaseLog(f, config.database().schema()),
        new org.q4mbridge.bridge.phase.ComparisonGate(
            f, config.database().schema(), config.compare().gate(), java.time.Clock.systemUTC()),
        // Cutover waits for the tap's last copies to be forwarded; a large backlog takes a while.
        java.time.Duration.ofMinutes(5).compareTo(config.shutdown().grace().multipliedBy(4)) > 0
            ? java.time.Duration.ofMinutes(5)
            : config.shutdown().grace().multipliedBy(4));
  }

  /**
   * Transport verification for a configuration: the ledger and observation writer on the bridge's
   * schema, and a shadow reader per sink whose broker has one (Redis Streams).
   */
  public static TransportVerification verification(BridgeConfig config, Map<String, Sink> sinks) {
    ConnectionFactory db = connections(config.database());
    LedgerWriter writer =
        LedgerWriter.start(db::open, Tables.in(config.database().schema()), WriterOptions.DEFAULT);
    return new TransportVerification(writer, shadowReaders(sinks), java.time.Clock.systemUTC());
  }

  /** What {@code compare.transport} selects for verification. */
  public static TransportVerification.Selection selection(BridgeConfig config) {
    CompareConfig.Transport t = config.compare().transport();
    return new TransportVerification.Selection(
        t.enabled(),
        t.phases().stream().map(Phase::yamlName).collect(java.util.stream.Collectors.toSet()),
        t.group());
  }

  /** A shadow reader per broker that has one; null for SQS and RabbitMQ (see Sinks). */
  static TransportVerification.Readers shadowReaders(Map<String, Sink> sinks) {
    return (name, destinations, group) -> {
      Sink s = sinks.get(name);
      if (s instanceof RedisStreamsSink r) {
        return new RedisShadowReader(r.options(), destinations, group);
      }
      return Sinks.shadowReader(s, destinations, group);
    };
  }

  /** The bridge runtime for a configuration (sinks constructed, nothing started). */
  public static Bridge bridge(
      BridgeConfig config,
      Map<String, Sink> sinks,
      org.q4mbridge.bridge.pump.PumpListener listener) {
    return new Bridge(
        sinks,
        sources(config, connections(config.database())),
        listener,
        config.shutdown().grace(),
        ZoneId.systemDefault());
  }
}
