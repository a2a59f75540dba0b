package org.q4mbridge.bridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one bench invocation needs, validated here and nowhere else: every bad value is
 * reported at once, none is clamped.
 *
 * @param mode what to measure
 * @param sink the broker published to
 * @param mysqlUrl the MariaDB/MySQL server URL without a database ({@code jdbc:mysql://host:port/})
 * @param database the scratch database, dropped and created at the start and dropped at the end;
 *     its name also tags the broker destinations when it is not the default {@code q4m_bench}
 * @param user MySQL user
 * @param password MySQL password (empty for none)
 * @param redisUri Redis URI for {@link SinkKind#REDIS}
 * @param rabbitUri AMQP URI for {@link SinkKind#RABBITMQ}
 * @param sqsEndpoint SQS-compatible endpoint for {@link SinkKind#SQS} (required for it), or null
 * @param sqsRegion region the SQS requests are signed for
 * @param rows rows per throughput run, or the backlog size
 * @param baselineRows rows the one-row-per-round-trip baseline forwards
 * @param repeat throughput mode: how many rounds of every scenario; each reports its median run
 * @param sweep pump settings measured in throughput mode besides the configuration's defaults
 *     (which are measured anyway, and flagged where the sweep repeats them)
 * @param rate offered load of latency mode, jobs per second
 * @param duration how long latency mode offers the load (after the warm-up)
 * @param warmup latency mode: load offered before measuring
 * @param producers latency mode: producer connections sharing the rate
 * @param pollMaxInterval the bridge's {@code poll.maxInterval} for the pump, or null for the
 *     configuration's default (50ms): the longest an idle consumer waits before looking again
 * @param progressEvery how often progress lines are printed
 * @param timeout the longest one scenario may take before the bench gives up
 * @param out where the JSON, Markdown and SVG files go
 * @param note free text stored with the results (e.g. what else ran on the machine)
 * @param heap the {@code -Xmx} of the backlog drain's JVM, e.g. {@code 256m}
 * @param fork backlog mode: relaunch in a child JVM with {@code -Xmx<heap>} when this JVM may use
 *     more
 */
public record BenchSettings(
    BenchMode mode,
    SinkKind sink,
    String mysqlUrl,
    String database,
    String user,
    String password,
    String redisUri,
    String rabbitUri,
    String sqsEndpoint,
    String sqsRegion,
    long rows,
    long baselineRows,
    int repeat,
    List<Sweep> sweep,
    double rate,
    Duration duration,
    Duration warmup,
    int producers,
    Duration pollMaxInterval,
    Duration progressEvery,
    Duration timeout,
    Path out,
    String note,
    String heap,
    boolean fork) {

  /** The sweep measured when none is given. */
  public static final List<Sweep> DEFAULT_SWEEP =
      List.of(
          new Sweep(1, 1000),
          new Sweep(2, 1000),
          new Sweep(4, 200),
          new Sweep(4, 500),
          new Sweep(8, 500));

  /** Rows per run when none is given: 100,000 per throughput run, 1,000,000 for the backlog. */
  public static long defaultRows(BenchMode mode) {
    return mode == BenchMode.BACKLOG ? 1_000_000 : 100_000;
  }

  public BenchSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sink, "sink");
    sweep = List.copyOf(sweep);
    List<String> problems = new ArrayList<>();
    if (mysqlUrl == null || !mysqlUrl.startsWith("jdbc:")) {
      problems.add("--mysql must be a JDBC URL such as jdbc:mysql://127.0.0.1:3306/");
    }
    if (database == null || !database.matches("[a-z0-9_]{1,48}")) {
      problems.add(
          "--database must be 1..48 lower-case letters, digits or _ (it is dropped and re-created),"
              + " got "
              + database);
    }
    if (sink == SinkKind.SQS && (sqsEndpoint == null || sqsEndpoint.isBlank())) {
      problems.add(
          "--sink sqs needs --sqs-endpoint (an SQS-compatible server such as ElasticMQ;"
              + " see docs/bench/README.md)");
    }
    if (rows < 1) {
      problems.add("--rows must be at least 1, got " + rows);
    }
    if (baselineRows < 1) {
      problems.add("--baseline-rows must be at least 1, got " + baselineRows);
    }
    if (repeat < 1 || repeat > 100) {
      problems.add("--repeat must be 1..100, got " + repeat);
    }
    if (!(rate > 0) || rate > 1_000_000) {
      problems.add("--rate must be more than 0 and at most 1000000 jobs/s, got " + rate);
    }
    if (producers < 1 || producers > 256) {
      problems.add("--producers must be 1..256, got " + producers);
    }
    requirePositive(problems, "--duration", duration);
    if (warmup == null || warmup.isNegative()) {
      problems.add("--warmup must be 0s or more, got " + warmup);
    }
    if (pollMaxInterval != null
        && (pollMaxInterval.toMillis() < 1 || pollMaxInterval.toMinutes() > 1)) {
      problems.add("--poll-max-interval must be 1ms..1m, got " + pollMaxInterval);
    }
    requirePositive(problems, "--progress", progressEvery);
    requirePositive(problems, "--timeout", timeout);
    if (heap == null || !heap.matches("[0-9]+[kKmMgG]?")) {
      problems.add("--heap must look like 256m, got " + heap);
    }
    Objects.requireNonNull(out, "out");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    note = note == null ? "" : note;
  }

  private static void requirePositive(List<String> problems, String option, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(option + " must be positive, got " + d);
    }
  }

  /** The JDBC URL of {@code database} on the configured server. */
  public String jdbc(String database) {
    return mysqlUrl.replaceFirst("/(\\?|$)", "/" + database + "$1");
  }

  /** The default scratch database. */
  public static final String DEFAULT_DATABASE = "q4m_bench";

  /**
   * The prefix of every broker destination of a run: {@code q4m-bench}, tagged with the database
   * when it is not the default so that two runs on one broker never share a destination.
   */
  public String destinationPrefix() {
    return DEFAULT_DATABASE.equals(database) ? "q4m-bench" : "q4m-bench-" + database;
  }

  /** {@link #heap()} in bytes. */
  public long heapBytes() {
    char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
    String digits = Character.isDigit(unit) ? heap : heap.substring(0, heap.length() - 1);
    long n = Long.parseLong(digits);
    return switch (unit) {
      case 'k' -> n * 1024;
      case 'm' -> n * 1024 * 1024;
      case 'g' -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }
}
