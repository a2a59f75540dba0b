package org.q4mbridge.bridge.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.bench.Bench;
import org.q4mbridge.bridge.bench.BenchMode;
import org.q4mbridge.bridge.bench.BenchSettings;
import org.q4mbridge.bridge.bench.BenchUnavailableException;
import org.q4mbridge.bridge.bench.ChildJvm;
import org.q4mbridge.bridge.bench.SinkKind;
import org.q4mbridge.bridge.bench.Sweep;
import org.q4mbridge.bridge.config.Durations;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code q4m-bridge bench}: measures the bridge on the local (or given) MariaDB and broker and
 * writes the results as JSON, Markdown and SVG. The work is in {@link Bench}; this class turns
 * options into {@link BenchSettings} and, for the backlog mode, relaunches itself with the heap
 * limit the target is about.
 */
@Command(
    name = "bench",
    // Main's --help is not inherited by subcommands; "Try 'q4m-bridge bench --help'" must work.
    description = {
      "Measure this machine's MariaDB and broker with the bridge in between.",
      "throughput: source ceiling, sink ceiling, a one-row-per-round-trip loop",
      "  and the pump, at the defaults and at each --sweep setting, with ratios.",
      "latency: a steady offered load and the insert->confirmed percentiles.",
      "backlog: preload --rows rows, drain them in a JVM limited to --heap.",
      "Uses the scratch database q4m_bench (dropped at the end) and destinations",
      "named q4m-bench* (deleted after each scenario).",
      "Writes <mode>-<sink>.json, .md and .svg to --out; see docs/bench/README.md."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--mode",
      defaultValue = "throughput",
      description = "throughput (default), latency or backlog.")
  String mode;

  @Option(
      names = "--sink",
      defaultValue = "redis",
      description = "redis (default), rabbitmq or sqs.")
  String sink;

  @Option(
      names = "--mysql",
      defaultValue = "jdbc:mysql://127.0.0.1:3306/",
      description = "MariaDB/MySQL server URL without database (default ${DEFAULT-VALUE}).")
  String mysql;

  @Option(
      names = "--database",
      defaultValue = BenchSettings.DEFAULT_DATABASE,
      description =
          "Scratch database, dropped and re-created, dropped at the end (default ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--user", defaultValue = "root", description = "MySQL user (default root).")
  String user;

  @Option(names = "--password", defaultValue = "", description = "MySQL password (default empty).")
  String password;

  @Option(
      names = "--redis",
      defaultValue = "redis://127.0.0.1:6379/0",
      description = "Redis URI (default ${DEFAULT-VALUE}).")
  String redis;

  @Option(
      names = "--rabbitmq",
      defaultValue = "amqp://guest:guest@127.0.0.1:5672/%2F",
      description = "RabbitMQ URI (default ${DEFAULT-VALUE}).")
  String rabbitmq;

  @Option(
      names = "--sqs-endpoint",
      description =
          "SQS-compatible endpoint, e.g. http://127.0.0.1:9324 (required for --sink sqs).")
  String sqsEndpoint;

  @Option(
      names = "--sqs-region",
      defaultValue = "us-east-1",
      description = "Region SQS requests are signed for (default ${DEFAULT-VALUE}).")
  String sqsRegion;

  @Option(
      names = "--rows",
      description =
          "Rows per throughput run (default 100000), or the backlog size (default 1000000).")
  Long rows;

  @Option(
      names = "--baseline-rows",
      description = "Rows the one-row baseline forwards (default rows/20, at least 1000).")
  Long baselineRows;

  @Option(
      names = "--sweep",
      split = ",",
      description =
          "Settings (consumers x batch) at which the ceilings and the pump are measured, besides the defaults (default 1x1000,2x1000,4x200,4x500,8x500).")
  List<String> sweep;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description =
          "Throughput mode: rounds of every scenario; each reports its median (default 3).")
  int repeat;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "Latency mode: offered jobs per second (default 1000).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "Latency mode: measured period (default 30s).")
  String duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Latency mode: load offered before measuring (default 5s).")
  String warmup;

  @Option(
      names = "--producers",
      defaultValue = "4",
      description = "Latency mode: producer connections sharing the rate (default 4).")
  int producers;

  @Option(
      names = "--poll-max-interval",
      description =
          "The bridge's poll.maxInterval for the pump (default: the configuration's, 50ms).")
  String pollMaxInterval;

  @Option(
      names = "--progress",
      defaultValue = "5s",
      description = "Print a progress line this often (default 5s).")
  String progress;

  @Option(
      names = "--timeout",
      defaultValue = "20m",
      description = "Give up on a scenario after this long (default 20m).")
  String timeout;

  @Option(
      names = "--out",
      defaultValue = "bench-results",
      description = "Directory for the result files (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--note",
      defaultValue = "",
      description = "Free text stored with the results, e.g. what else ran on the machine.")
  String note;

  @Option(
      names = "--heap",
      defaultValue = "256m",
      description = "Backlog mode: -Xmx of the JVM that drains (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(
      names = "--no-fork",
      description = "Backlog mode: drain in this JVM whatever its heap limit.")
  boolean noFork;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BenchSettings settings = settings();
    String command = commandLine();
    if (settings.mode() == BenchMode.BACKLOG
        && settings.fork()
        && ChildJvm.heapAbove(settings.heapBytes())) {
      PrintWriter o = spec.commandLine().getOut();
      o.println("bench: draining in a child JVM with -Xmx" + settings.heap());
      o.flush();
      List<String> args = new ArrayList<>();
      args.add("bench");
      args.addAll(ownArgs());
      args.add("--no-fork");
      return ChildJvm.run(settings.heap(), Main.class.getName(), args, command);
    }
    quietLogs();
    try {
      new Bench(settings, spec.commandLine().getOut(), command).run();
    } catch (BenchUnavailableException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "bench: " + e.getMessage(), e);
    } catch (java.sql.SQLException e) {
      throw new CliException(ExitCode.FAILED, "bench: database error: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      // A scenario that failed or timed out: its message says which and why.
      throw new CliException(ExitCode.FAILED, "bench: " + e.getMessage(), e);
    }
    return ExitCode.OK.code();
  }

  BenchSettings settings() {
    try {
      BenchMode m = BenchMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
      SinkKind k = SinkKind.valueOf(sink.trim().toUpperCase(Locale.ROOT));
      long n = rows != null ? rows : BenchSettings.defaultRows(m);
      long base = baselineRows != null ? baselineRows : Math.max(1000, n / 20);
      List<Sweep> shapes = new ArrayList<>();
      if (sweep == null || sweep.isEmpty()) {
        shapes.addAll(BenchSettings.DEFAULT_SWEEP);
      } else {
        for (String s : sweep) {
          shapes.add(Sweep.parse(s));
        }
      }
      return new BenchSettings(
          m,
          k,
          mysql,
          database,
          user,
          password,
          redis,
          rabbitmq,
          sqsEndpoint,
          sqsRegion,
          n,
          base,
          repeat,
          shapes,
          rate,
          duration(duration, "--duration"),
          duration(warmup, "--warmup"),
          producers,
          pollMaxInterval == null ? null : duration(pollMaxInterval, "--poll-max-interval"),
          duration(progress, "--progress"),
          duration(timeout, "--timeout"),
          out,
          note,
          heap,
          !noFork);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Duration duration(String text, String option) {
    try {
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          option + " must be a duration such as 30s or 5m, got '" + text + "'");
    }
  }

  /** The command as typed, with the MySQL password hidden; the parent's, in a relaunched child. */
  String commandLine() {
    String inherited = System.getenv(ChildJvm.COMMAND_VARIABLE);
    if (inherited != null && !inherited.isBlank()) {
      return inherited;
    }
    StringBuilder b = new StringBuilder("q4m-bridge bench");
    List<String> args = ownArgs();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--password=")) {
        a = "--password=****";
      } else if (i > 0 && args.get(i - 1).equals("--password")) {
        a = "****";
      }
      // Passwords inside broker URIs (amqp://user:secret@host) are hidden the same way.
      a = a.replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@");
      b.append(' ')
          .append(a.matches("[A-Za-z0-9_./:=%@,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  /**
   * The arguments after {@code bench}: picocli hands every subcommand the whole command line,
   * launcher options included.
   */
  private List<String> ownArgs() {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    return at < 0 ? all : all.subList(at + 1, all.size());
  }

  /** The bridge's INFO lines (queue started, stopped) would drown the progress lines. */
  private static void quietLogs() {
    if (System.getenv("Q4M_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.q4mbridge"))
          .setLevel(Level.WARN);
    }
  }
}
