package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates findings into a {@link Report} in memory bounded by its {@link Limits}, whatever the
 * number of findings: counts, time buckets, histograms, capped key lists and mismatch groups. Not
 * thread-safe: feed it from one thread.
 */
public final class ReportBuilder {
  /** Bucket lengths to choose from: the shortest that gives at most {@link #MAX_BUCKETS}. */
  private static final List<Duration> BUCKET_LENGTHS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(3),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofDays(1),
          Duration.ofDays(7));

  static final int MAX_BUCKETS = 96;

  /**
   * Caps that bound memory.
   *
   * @param listedKeys keys kept per category
   * @param topMismatches mismatch groups shown
   * @param trackedSignatures distinct mismatch signatures counted separately; further ones are
   *     counted together as {@code (other differences)}
   * @param keysPerGroup example keys kept per mismatch group
   */
  public record Limits(int listedKeys, int topMismatches, int trackedSignatures, int keysPerGroup) {
    public static final Limits DEFAULT = new Limits(1000, 20, 500, 5);

    public Limits {
      if (listedKeys < 0 || topMismatches < 0 || trackedSignatures < 1 || keysPerGroup < 1) {
        throw new IllegalArgumentException("limits must be positive: " + this);
      }
    }
  }

  private final String queue;
  private final Window window;
  private final String rules;
  private final Limits limits;
  private final Duration bucketLength;
  private final long[][] buckets; // [bucket][samples, agreeing, mismatched]

  private final Map<Category, Long> counts = new EnumMap<>(Category.class);
  private final Map<Category, List<String>> keys = new EnumMap<>(Category.class);
  private final Histogram.Builder legacyDurations = new Histogram.Builder();
  private final Histogram.Builder candidateDurations = new Histogram.Builder();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private long sampledOut;
  private long candidateDuplicated;

  private final Map<TransportCategory, Long> transportCounts =
      new EnumMap<>(TransportCategory.class);
  private final Map<TransportCategory, List<String>> transportKeys =
      new EnumMap<>(TransportCategory.class);
  private final Histogram.Builder transportLatency = new Histogram.Builder();

  private static final class Group {
    long count;
    final List<String> keys = new ArrayList<>();
    Finding.Mismatched example;
  }

  public ReportBuilder(String queue, Window window, Rules rules, Limits limits) {
    this.queue = queue;
    this.window = window;
    this.rules = rules.describe();
    this.limits = limits;
    this.bucketLength = bucketLength(window.length());
    int n = (int) Math.max(1, ceilDiv(window.length().toMillis(), bucketLength.toMillis()));
    this.buckets = new long[n][3];
    for (Category c : Category.values()) {
      counts.put(c, 0L);
      keys.put(c, new ArrayList<>());
    }
    for (TransportCategory c : TransportCategory.values()) {
      transportCounts.put(c, 0L);
      transportKeys.put(c, new ArrayList<>());
    }
  }

  /** A whole in-memory reconciliation as a report. */
  public static Report of(
      String queue,
      Window window,
      Rules rules,
      Reconciliation outcomes,
      TransportReconciliation transport,
      Instant generatedAt) {
    ReportBuilder b = new ReportBuilder(queue, window, rules, Limits.DEFAULT);
    outcomes.findings().forEach(b::add);
    b.sampledOut(outcomes.sampledOut());
    if (transport != null) {
      transport.findings().forEach(b::add);
    }
    return b.build(generatedAt);
  }

  private static Duration bucketLength(Duration window) {
    for (Duration d : BUCKET_LENGTHS) {
      if (ceilDiv(window.toMillis(), d.toMillis()) <= MAX_BUCKETS) {
        return d;
      }
    }
    return Duration.ofMillis(ceilDiv(window.toMillis(), MAX_BUCKETS));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Counts one outcome finding. */
  public void add(Finding f) {
    Category c = f.category();
    counts.merge(c, 1L, Long::sum);
    if (c != Category.MATCHED && keys.get(c).size() < limits.listedKeys()) {
      keys.get(c).add(f.key());
    }
    f.legacyRuns().forEach(o -> legacyDurations.add(o.duration()));
    f.candidateRuns().forEach(o -> candidateDurations.add(o.duration()));
    long[] b = buckets[bucket(f.firstStarted())];
    b[0]++;
    if (c == Category.MATCHED || c == Category.LATE) {
      b[1]++;
    }
    if (f instanceof Finding.Mismatched m) {
      b[2]++;
      group(m);
    }
    if (f instanceof Finding.Duplicated d && d.candidateCount() > 1) {
      candidateDuplicated++;
    }
  }

  private void group(Finding.Mismatched m) {
    String sig = m.signature();
    Group g = groups.get(sig);
    if (g == null) {
      if (groups.size() >= limits.trackedSignatures()) {
        sig = "(other differences)";
        g = groups.get(sig);
      }
      if (g == null) {
        g = new Group();
        groups.put(sig, g);
      }
    }
    g.count++;
    if (g.keys.size() < limits.keysPerGroup()) {
      g.keys.add(m.key());
    }
    if (g.example == null) {
      g.example = m;
    }
  }

  private int bucket(Instant t) {
    long i = Duration.between(window.from(), t).toMillis() / bucketLength.toMillis();
    return (int) Math.max(0, Math.min(buckets.length - 1, i));
  }

  /** Counts keys left out by sampling. */
  public void sampledOut(long n) {
    sampledOut += n;
  }

  /** Counts one transport finding. */
  public void add(TransportFinding f) {
    TransportCategory c = f.category();
    transportCounts.merge(c, 1L, Long::sum);
    if (c != TransportCategory.DELIVERED && transportKeys.get(c).size() < limits.listedKeys()) {
      transportKeys.get(c).add(f.sink() + " " + f.messageKey());
    }
    if (f.latency() != null) {
      transportLatency.add(f.latency());
    }
  }

  /** The report so far; the builder stays usable. */
  public Report build(Instant generatedAt) {
    List<Report.TimeBucket> overTime = new ArrayList<>(buckets.length);
    for (int i = 0; i < buckets.length; i++) {
      overTime.add(
          new Report.TimeBucket(
              window.from().plus(bucketLength.multipliedBy(i)),
              bucketLength,
              buckets[i][0],
              buckets[i][1],
              buckets[i][2]));
    }
    List<Report.MismatchGroup> top =
        groups.entrySet().stream()
            .sorted(
                Comparator.comparingLong((Map.Entry<String, Group> e) -> -e.getValue().count)
                    .thenComparing(Map.Entry::getKey))
            .limit(limits.topMismatches())
            .map(
                e ->
                    new Report.MismatchGroup(
                        e.getKey(), e.getValue().count, e.getValue().keys, e.getValue().example))
            .toList();
    Map<Category, Report.KeyList> keyLists = new EnumMap<>(Category.class);
    for (Category c : Category.values()) {
      if (c != Category.MATCHED) {
        keyLists.put(c, new Report.KeyList(keys.get(c), counts.get(c)));
      }
    }
    Map<TransportCategory, Report.KeyList> tKeys = new EnumMap<>(TransportCategory.class);
    for (TransportCategory c : TransportCategory.values()) {
      if (c != TransportCategory.DELIVERED) {
        tKeys.put(c, new Report.KeyList(transportKeys.get(c), transportCounts.get(c)));
      }
    }
    return new Report(
        queue,
        window,
        generatedAt,
        rules,
        new Report.Outcomes(
            counts,
            sampledOut,
            candidateDuplicated,
            overTime,
            legacyDurations.build(),
            candidateDurations.build(),
            top,
            keyLists),
        new Report.Transport(transportCounts, transportLatency.build(), tKeys));
  }
}
