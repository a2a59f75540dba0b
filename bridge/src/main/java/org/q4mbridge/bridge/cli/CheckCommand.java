package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.config.QueueConfig;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.q4m.PrivilegeCheck;
import org.q4mbridge.q4m.PrivilegeCheck.Need;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code q4m-bridge check}: validates the file, connects to MySQL and every sink, checks privileges
 * and the bridge schema, and prints the effective plan per queue. Every problem is one line; the
 * exit code is that of the first (most fundamental) problem.
 */
@Command(
    name = "check",
    description = {
      "Validate the file, connect to MySQL and every sink, print the plan.",
      "Checks privileges and the bridge schema, and prints the effective configuration (secrets",
      "masked) and the plan per queue.",
      "Run it before 'run' and after every edit of the file."
    })
public final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--example", description = "Print a commented example configuration and exit.")
  boolean example;

  @Option(names = "--offline", description = "Only validate the file; connect to nothing.")
  boolean offline;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (example) {
      out.print(ConfigLoader.exampleYaml());
      out.flush();
      return ExitCode.OK.code();
    }
    BridgeConfig c = config.load();
    out.println("configuration " + config.path() + ": valid");
    out.println(c.describe());
    if (offline) {
      return ExitCode.OK.code();
    }
    List<String> problems = new ArrayList<>();
    ExitCode worst = ExitCode.OK;
    // MySQL and privileges.
    String account = "'" + c.database().user() + "'@'<bridge host>'";
    boolean mysqlReachable = true;
    try (Connection conn = Assembly.connections(c.database()).open()) {
      out.println("mysql " + c.database().url() + ": connected as " + c.database().user());
      for (QueueConfig q : c.queues()) {
        TableRef source = Assembly.sourceTable(q);
        for (String p : PrivilegeCheck.missing(conn, source, account, Need.SELECT, Need.DELETE)) {
          problems.add("queues " + q.table() + ": " + p);
          worst = worse(worst, p.contains("GRANT") ? ExitCode.PRIVILEGE : ExitCode.CONFIG);
        }
      }
      for (String p :
          PrivilegeCheck.missing(conn, c.deadLetter().table(), account, Need.SELECT, Need.INSERT)) {
        problems.add(
            "deadLetter: "
                + p
                + (p.contains("does not exist") ? " (run 'q4m-bridge migrate')" : ""));
        worst = worse(worst, p.contains("GRANT") ? ExitCode.PRIVILEGE : ExitCode.SCHEMA);
      }
      if (c.compare().transport().enabled()) {
        // Without INSERT the ledger writer would drop every row, and the report would be empty.
        for (String table : List.of("q4m_ledger", "q4m_transport_observation")) {
          for (String p :
              PrivilegeCheck.missing(
                  conn,
                  new TableRef(c.database().schema(), table),
                  account,
                  Need.SELECT,
                  Need.INSERT)) {
            problems.add(
                "compare.transport: "
                    + p
                    + (p.contains("does not exist") ? " (run 'q4m-bridge migrate')" : "")
                    + (p.contains("GRANT") ? " (or set compare.transport.enabled: false)" : ""));
            worst = worse(worst, p.contains("GRANT") ? ExitCode.PRIVILEGE : ExitCode.SCHEMA);
          }
        }
      }
    } catch (SQLException e) {
      problems.add(
          "mysql "
              + c.database().url()
              + ": cannot connect as "
              + c.database().user()
              + ": "
              + CliException.reason(e));
      mysqlReachable = false;
      worst = worse(worst, SqlErrors.privilege(e) ? ExitCode.PRIVILEGE : ExitCode.UNAVAILABLE);
    }
    // Without MySQL the schema cannot be read: saying so would only repeat the problem above.
    if (mysqlReachable) {
      try {
        BridgeSchema schema =
            new BridgeSchema(
                Assembly.plainUrl(c.database().url()),
                c.database().user(),
                c.database().password().map(s -> s.reveal()).orElse(null),
                c.database().schema());
        schema.requireCurrent();
        out.println("bridge schema " + c.database().schema() + ": version " + schema.current());
      } catch (RuntimeException e) {
        problems.add(CliException.reason(e));
        worst = worse(worst, ExitCode.SCHEMA);
      }
    }
    // Sinks: start and probe each with the destinations its queues use.
    List<QueuePlan> plans = Assembly.plans(c);
    Map<String, Sink> sinks = Assembly.sinks(c);
    for (Map.Entry<String, Sink> e : sinks.entrySet()) {
      Set<String> dests = new LinkedHashSet<>();
      boolean required = false;
      for (QueuePlan p : plans) {
        if (p.requiredSinks().contains(e.getKey()) || p.bestEffortSinks().contains(e.getKey())) {
          dests.add(p.settings().destination());
          required |= p.requiredSinks().contains(e.getKey()) && !p.idle();
        }
      }
      try (Sink s = e.getValue()) {
        s.start();
        s.probe(dests);
        out.println("sink " + e.getKey() + ": reachable, destinations " + dests + " ok");
      } catch (SinkException ex) {
        problems.add((required ? "" : "(best-effort) ") + ex.getMessage());
        if (required) {
          worst = worse(worst, ExitCode.UNAVAILABLE);
        }
      }
    }
    out.println();
    out.println("plan:");
    for (QueuePlan p : plans) {
      out.printf(
          "  %-28s phase %-7s reads %-28s -> %s via %s%s, %d consumer(s) x batch %d%s%n",
          p.name(),
          p.phase(),
          p.source().subscriptions().get(0).table(),
          p.settings().destination(),
          p.requiredSinks(),
          p.bestEffortSinks().isEmpty() ? "" : " (best effort " + p.bestEffortSinks() + ")",
          p.settings().consumers(),
          p.settings().batchSize(),
          p.settings().ordered() ? ", ordered" : "");
    }
    out.flush();
    if (problems.isEmpty()) {
      out.println("check passed");
      return ExitCode.OK.code();
    }
    PrintWriter err = spec.commandLine().getErr();
    for (String p : problems) {
      err.println("q4m-bridge: " + p);
    }
    err.flush();
    return worst.code();
  }

  private static ExitCode worse(ExitCode a, ExitCode b) {
    return a == ExitCode.OK ? b : a;
  }
}
