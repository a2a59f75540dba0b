package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.Durations;
import org.q4mbridge.bridge.config.QueueConfig;
import org.q4mbridge.bridge.config.RedisSinkConfig;
import org.q4mbridge.bridge.config.SinkConfig;
import org.q4mbridge.bridge.phase.DrainBack;
import org.q4mbridge.bridge.phase.PhaseLog;
import org.q4mbridge.bridge.sink.DrainSource;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.redis.RedisDrainSource;
import org.q4mbridge.q4m.DrainBackTarget;
import org.q4mbridge.q4m.TableRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge drain-back}: the rollback step that returns un-consumed jobs to the table. */
@Command(
    name = "drain-back",
    description = {
      "Move jobs no new worker has taken from the broker back into the legacy table.",
      "Redis: entries not yet delivered to the workers' group, entries pending longer than --idle",
      "on a worker, and this command's own pending entries. Each job is re-inserted exactly once",
      "per message key (a second run inserts nothing twice), then removed from the broker.",
      "Stop the new workers first (runbooks/04-rollback.md). Prints progress and a final count."
    })
public final class DrainBackCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SCHEMA.TABLE",
      description = "The queue.")
  String queue;

  @Option(
      names = "--group",
      defaultValue = "workers",
      description = "The workers' consumer group (default workers).")
  String group;

  @Option(
      names = "--idle",
      defaultValue = "60s",
      description = "Reclaim entries pending on a worker longer than this (default 60s).")
  String idle;

  @Option(
      names = "--batch",
      defaultValue = "500",
      description = "Messages per round (default 500).")
  int batch;

  @Option(
      names = "--rabbit-queue",
      paramLabel = "QUEUE",
      description = "RabbitMQ: the workers' queue to drain (default: the queue's destination).")
  String rabbitQueue;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private BridgeConfig cfg;

  @Override
  public Integer call() {
    BridgeConfig c = config.load();
    cfg = c;
    PrintWriter out = spec.commandLine().getOut();
    TableRef table;
    try {
      table = TableRef.parse(queue, c.database().schema());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--queue: " + e.getMessage());
    }
    QueueConfig q =
        c.queue(table)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCode.CONFIG, "--queue " + table + ": not a queue of " + config.path()));
    if (q.sinks().isEmpty()) {
      throw new CliException(ExitCode.CONFIG, "queue " + table + " has no required sink to drain");
    }
    SinkConfig sink = c.sinks().get(q.sinks().get(0));
    Duration idleFor;
    try {
      idleFor = Durations.parse(idle);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--idle: " + e.getMessage());
    }
    PhaseLog log = new PhaseLog(Assembly.connections(c.database()), c.database().schema());
    try {
      if (log.lastPhase(table.toString()).filter("cutover"::equals).isPresent()) {
        throw new CliException(
            ExitCode.FAILED,
            "queue "
                + table
                + " is in cutover: the bridge would forward drained jobs straight back to the"
                + " broker; switch the phase first (runbooks/04-rollback.md step 3), then drain back");
      }
    } catch (SQLException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE, "cannot read the phase log: " + e.getMessage(), e);
    }
    DrainBackTarget target =
        new DrainBackTarget(table, new TableRef(c.database().schema(), "q4m_drained"));
    try (DrainSource source = source(sink, q.destination(), idleFor);
        Connection conn = Assembly.connections(c.database()).open()) {
      DrainBack.Result r =
          DrainBack.run(
              source,
              target,
              conn,
              q.mapping(),
              batch,
              line -> {
                out.println(line);
                out.flush();
              });
      out.println("drain-back " + table + ": " + r.summary());
      r.failures().forEach(f -> spec.commandLine().getErr().println("q4m-bridge: " + f));
      log.append(
          table.toString(),
          PhaseLog.DRAIN_BACK,
          q.phase().yamlName(),
          q.phase().yamlName(),
          org.q4mbridge.bridge.Daemon.digest(config.path()),
          false,
          r.summary());
      return r.failed() == 0 ? ExitCode.OK.code() : ExitCode.FAILED.code();
    } catch (SinkException e) {
      throw new CliException(ExitCode.UNAVAILABLE, sink.name() + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new CliException(
          ExitCode.FAILED, "drain-back into " + table + ": " + e.getMessage(), e);
    }
  }

  private DrainSource source(SinkConfig sink, String destination, Duration idle)
      throws SinkException {
    if (sink instanceof RedisSinkConfig r) {
      return new RedisDrainSource(Assembly.redisUriFor(r), destination, group, idle);
    }
    if (sink instanceof org.q4mbridge.bridge.config.RabbitSinkConfig r) {
      return new org.q4mbridge.bridge.sink.rabbitmq.RabbitDrainSource(
          r.uri().reveal(), rabbitQueue != null ? rabbitQueue : destination);
    }
    if (sink instanceof org.q4mbridge.bridge.config.SqsSinkConfig) {
      org.q4mbridge.bridge.sink.Sink s = org.q4mbridge.bridge.Assembly.sinks(cfg).get(sink.name());
      s.start();
      return new org.q4mbridge.bridge.sink.sqs.SqsDrainSource(
          (org.q4mbridge.bridge.sink.sqs.SqsSink) s, destination);
    }
    throw new CliException(
        ExitCode.CONFIG,
        "drain-back from sink type '"
            + sink.type()
            + "' is not available in this build (redis-streams is)");
  }
}
