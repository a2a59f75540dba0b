package org.q4mbridge.bridge.cli;

import java.util.concurrent.Callable;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.RedisSinkConfig;
import org.q4mbridge.bridge.config.SinkConfig;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.redis.ConsumerGroups;
import org.q4mbridge.bridge.sink.redis.RedisSinkOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code q4m-bridge stream-group}: create the consumer group new workers read a stream with. */
@Command(
    name = "stream-group",
    description = {
      "Create a Redis Streams consumer group for workers.",
      "Idempotent (MKSTREAM).",
      "Workers then XREADGROUP from it and XACK what they processed."
    })
public final class StreamGroupCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--sink", required = true, description = "A redis-streams sink of the file.")
  String sink;

  @Parameters(index = "0", paramLabel = "STREAM")
  String stream;

  @Parameters(index = "1", paramLabel = "GROUP")
  String group;

  @Option(names = "--from-start", description = "Deliver existing entries too (default: new only).")
  boolean fromStart;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BridgeConfig c = config.load();
    SinkConfig s = c.sinks().get(sink);
    if (!(s instanceof RedisSinkConfig r)) {
      throw new CliException(
          ExitCode.CONFIG, "--sink " + sink + ": not a redis-streams sink of " + config.path());
    }
    RedisSinkOptions o =
        new RedisSinkOptions(
            r.name(),
            org.q4mbridge.bridge.Assembly.redisUriFor(r),
            null,
            false,
            r.dedupTtl(),
            r.publishTimeout(),
            r.maxMessageBytes());
    try (ConsumerGroups groups = ConsumerGroups.connect(o)) {
      boolean created =
          groups.create(
              stream,
              group,
              fromStart ? ConsumerGroups.StartAt.FIRST_ENTRY : ConsumerGroups.StartAt.NEW_ENTRIES);
      spec.commandLine()
          .getOut()
          .println(
              (created ? "created" : "already exists:")
                  + " group "
                  + group
                  + " on stream "
                  + stream);
      return ExitCode.OK.code();
    } catch (SinkException e) {
      throw new CliException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }
}
