package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.phase.PhaseLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge phase-log}: who moved which queue to which phase, and the drain-back runs. */
@Command(
    name = "phase-log",
    description = "Show the phase log: every transition and drain-back run, newest first.")
public final class PhaseLogCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--queue", paramLabel = "SCHEMA.TABLE", description = "Only this queue.")
  String queue;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
  int limit;

  @Option(
      names = "--expect",
      paramLabel = "PHASE",
      description =
          "Wait until the queue's last transition is to PHASE (a reload is asynchronous), then"
              + " print the log; exit 1 when --timeout passes first.")
  String expect;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds --expect waits (default 60).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    BridgeConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    try {
      PhaseLog log = new PhaseLog(Assembly.connections(c.database()), c.database().schema());
      if (expect != null) {
        if (queue == null) {
          throw new CliException(ExitCode.USAGE, "--expect needs --queue");
        }
        org.q4mbridge.q4m.IdleWait wait =
            new org.q4mbridge.q4m.IdleWait(
                java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1));
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!log.lastPhase(queue).filter(expect::equalsIgnoreCase).isPresent()) {
          if (System.nanoTime() > deadline) {
            spec.commandLine()
                .getErr()
                .println(
                    "q4m-bridge: "
                        + queue
                        + " did not reach phase "
                        + expect
                        + " within "
                        + timeoutSeconds
                        + " s (last: "
                        + log.lastPhase(queue).orElse("none")
                        + "); the service log says why the reload was refused");
            return ExitCode.FAILED.code();
          }
          wait.pause(deadline - System.nanoTime());
        }
      }
      List<PhaseLog.Entry> entries = log.list(queue, null, limit);
      if (entries.isEmpty()) {
        out.println("no phase changes logged" + (queue == null ? "" : " for " + queue));
      }
      for (PhaseLog.Entry e : entries) {
        out.printf(
            "%s  %-24s %-10s %-7s -> %-7s %s by %s%s%n",
            e.at(),
            e.queue(),
            e.event(),
            e.from(),
            e.to(),
            e.forced() ? "FORCED" : "",
            e.actor(),
            e.note() == null ? "" : "  (" + e.note() + ")");
      }
      return ExitCode.OK.code();
    } catch (SQLException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "phase-log: " + e.getMessage(), e);
    }
  }
}
