package org.q4mbridge.bridge.phase;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.q4mbridge.bridge.config.CompareConfig;
import org.q4mbridge.compare.Gate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.Thresholds;
import org.q4mbridge.compare.Window;
import org.q4mbridge.compare.jdbc.ReportQuery;
import org.q4mbridge.compare.jdbc.Tables;
import org.q4mbridge.q4m.ConnectionFactory;

/**
 * The cutover gate of DESIGN.md §6.3 over the recorded outcomes (shadow-compare): loads the
 * configured window of the queue's comparison data, reconciles it and checks the thresholds of
 * {@code compare.gate}. Used by {@code q4m-bridge gate}, {@code report}, and by the daemon before
 * any move into cutover.
 */
public final class ComparisonGate implements GateCheck {
  private final ConnectionFactory connections;
  private final String schema;
  private final CompareConfig.Gate gate;
  private final Clock clock;

  public ComparisonGate(
      ConnectionFactory connections, String schema, CompareConfig.Gate gate, Clock clock) {
    this.connections = connections;
    this.schema = schema;
    this.gate = gate;
    this.clock = clock;
  }

  /** The report of the gate's window for {@code queue}. */
  public Report report(String queue, Duration window) throws java.sql.SQLException {
    Rules rules = Rules.defaults();
    ReportQuery q =
        new ReportQuery(
            connections::open, Tables.in(schema), rules, ReportQuery.Options.DEFAULT, clock);
    return q.load(queue, Window.last(window, rules.lateAfter(), clock.instant()));
  }

  /** The thresholds from the configuration. */
  public Thresholds thresholds() {
    return new Thresholds(
        gate.minSamples(), gate.maxMissing(), gate.maxMismatchRate(), gate.window());
  }

  /** Evaluates the gate with its report. */
  public GateResult evaluate(Report report) {
    return Gate.evaluate(report, thresholds());
  }

  @Override
  public Result check(String queue) {
    try {
      GateResult r = evaluate(report(queue, gate.window()));
      return new Result(r.passed(), r.reasons());
    } catch (java.sql.SQLException | RuntimeException e) {
      return new Result(false, List.of("cannot read the comparison data: " + e.getMessage()));
    }
  }
}
