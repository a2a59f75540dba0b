package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.phase.ComparisonGate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.q4m.TableRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge gate}: may this queue enter cutover? Exit 0 yes, 1 no (with the reasons). */
@Command(
    name = "gate",
    description = {
      "Check the cutover gate of a queue.",
      "Exit 0 when it passes, 1 with the reasons when not.",
      "Thresholds come from compare.gate (minSamples, maxMissing, maxMismatchRate, window); the",
      "data are the outcomes legacy and new workers recorded (shadow-compare). The daemon runs the",
      "same check before any move into cutover."
    })
public final class GateCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SCHEMA.TABLE",
      description = "The queue.")
  String queue;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BridgeConfig c = config.load();
    TableRef t = TableRef.parse(queue, c.database().schema());
    ComparisonGate gate =
        new ComparisonGate(
            Assembly.connections(c.database()),
            c.database().schema(),
            c.compare().gate(),
            java.time.Clock.systemUTC());
    Report report;
    try {
      report = gate.report(t.toString(), c.compare().gate().window());
    } catch (java.sql.SQLException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE, "gate: cannot read the comparison data: " + e.getMessage(), e);
    }
    GateResult r = gate.evaluate(report);
    PrintWriter out = spec.commandLine().getOut();
    out.println("gate " + t + ": " + (r.passed() ? "PASSED" : "REFUSED"));
    r.checks().forEach(line -> out.println("  " + line));
    r.reasons().forEach(line -> out.println("  reason: " + line));
    return r.passed() ? ExitCode.OK.code() : ExitCode.FAILED.code();
  }
}
