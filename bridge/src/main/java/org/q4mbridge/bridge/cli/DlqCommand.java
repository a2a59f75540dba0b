package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.SqlErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge dlq list|replay}: inspect dead letters and put them back after a fix. */
@Command(
    name = "dlq",
    description = "Inspect dead-lettered rows and replay them into their queues.",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
public final class DlqCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "dlq needs a subcommand: list or replay");
  }

  static DeadLetterTable table(BridgeConfig c) {
    return new DeadLetterTable(c.deadLetter().table());
  }

  static Connection connect(BridgeConfig c) {
    try {
      return Assembly.connections(c.database()).open();
    } catch (SQLException e) {
      throw new CliException(
          SqlErrors.privilege(e) ? ExitCode.PRIVILEGE : ExitCode.UNAVAILABLE,
          "cannot connect to " + c.database().url() + ": " + CliException.reason(e),
          e);
    }
  }

  /** {@code dlq list}. */
  @Command(name = "list", description = "List dead letters, newest first, with their reasons.")
  public static final class ListCommand implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Option(names = "--queue", paramLabel = "SCHEMA.TABLE", description = "Only this queue.")
    String queue;

    @Option(names = "--all", description = "Include rows already replayed.")
    boolean all;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
    int limit;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BridgeConfig c = config.load();
      PrintWriter out = spec.commandLine().getOut();
      try (Connection conn = connect(c)) {
        List<DeadLetterTable.Stored> rows = table(c).list(conn, queue, all, limit);
        if (rows.isEmpty()) {
          out.println("no dead letters" + (queue == null ? "" : " for " + queue));
          return ExitCode.OK.code();
        }
        out.printf("%-8s %-34s %-8s %-24s %s%n", "ID", "KEY", "ATTEMPTS", "LAST SEEN", "REASON");
        for (DeadLetterTable.Stored d : rows) {
          out.printf(
              "%-8d %-34s %-8d %-24s %s%s%n",
              d.id(),
              d.messageKey(),
              d.attempts(),
              d.lastSeen(),
              d.reason(),
              d.replayedAt() == null ? "" : " (replayed " + d.replayedAt() + ")");
        }
        return ExitCode.OK.code();
      } catch (SQLException e) {
        throw new CliException(ExitCode.FAILED, "dlq list: " + e.getMessage(), e);
      }
    }
  }

  /** {@code dlq replay}. */
  @Command(
      name = "replay",
      description = {
        "Insert dead letters back into their queue tables (oldest first) and mark them replayed.",
        "On InnoDB queues the insert and the mark are one transaction: running it twice never",
        "inserts a row twice. Fix the cause first (mapping, sink limits), or they come right back."
      })
  public static final class ReplayCommand implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Option(names = "--queue", paramLabel = "SCHEMA.TABLE", description = "Only this queue.")
    String queue;

    @Option(
        names = "--id",
        paramLabel = "ID",
        split = ",",
        description = "Only these dead-letter ids.")
    List<Long> ids = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BridgeConfig c = config.load();
      PrintWriter out = spec.commandLine().getOut();
      try (Connection conn = connect(c)) {
        DeadLetterTable.ReplayResult r = table(c).replay(conn, queue, ids);
        out.printf(
            "replayed %d, already replayed %d, failed %d%n",
            r.replayed(), r.alreadyReplayed(), r.failures().size());
        r.failures().forEach(f -> spec.commandLine().getErr().println("q4m-bridge: " + f));
        return r.failures().isEmpty() ? ExitCode.OK.code() : ExitCode.FAILED.code();
      } catch (SQLException e) {
        throw new CliException(ExitCode.FAILED, "dlq replay: " + e.getMessage(), e);
      }
    }
  }
}
