package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A comparison report over one queue and one window: outcome comparison (legacy vs candidate) and
 * transport verification (forwarded vs observed). Built by {@link ReportBuilder} in bounded memory
 * (aggregates, histograms, capped key lists), rendered by the classes in {@code
 * org.q4mbridge.compare.render} and judged by {@link Gate}. Immutable.
 *
 * @param queue the queue ({@code schema.table})
 * @param window what the report covers
 * @param generatedAt when it was built
 * @param rules {@link Rules#describe()} of the rules applied
 * @param outcomes outcome comparison
 * @param transport transport verification (all counts zero when nothing was forwarded)
 */
public record Report(
    String queue,
    Window window,
    Instant generatedAt,
    String rules,
    Outcomes outcomes,
    Transport transport) {
  public Report {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(outcomes, "outcomes");
    Objects.requireNonNull(transport, "transport");
  }

  /**
   * Outcome comparison.
   *
   * @param counts keys per category (every category present)
   * @param sampledOut keys left out by sampling
   * @param candidateDuplicated keys the candidate ran more than once (part of DUPLICATED)
   * @param overTime per time bucket, in order
   * @param legacyDurations how long legacy runs took
   * @param candidateDurations how long candidate runs took
   * @param topMismatches mismatches grouped by {@link Finding.Mismatched#signature()}, biggest
   *     first
   * @param keys the keys of every category but MATCHED, capped
   */
  public record Outcomes(
      Map<Category, Long> counts,
      long sampledOut,
      long candidateDuplicated,
      List<TimeBucket> overTime,
      Histogram legacyDurations,
      Histogram candidateDurations,
      List<MismatchGroup> topMismatches,
      Map<Category, KeyList> keys) {
    public Outcomes {
      counts = Collections.unmodifiableMap(new EnumMap<>(counts));
      overTime = List.copyOf(overTime);
      topMismatches = List.copyOf(topMismatches);
      keys = Collections.unmodifiableMap(new EnumMap<>(keys));
    }

    public long count(Category c) {
      return counts.getOrDefault(c, 0L);
    }

    /** Every key compared: the sum of all categories. */
    public long samples() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Keys with exactly one run per side: matched + mismatched + late. */
    public long compared() {
      return count(Category.MATCHED) + count(Category.MISMATCHED) + count(Category.LATE);
    }

    /** Keys where a side never ran the job. */
    public long missing() {
      return count(Category.MISSING_ON_CANDIDATE) + count(Category.MISSING_ON_LEGACY);
    }

    /** Mismatched / compared; 0 when nothing was compared. */
    public double mismatchRate() {
      long n = compared();
      return n == 0 ? 0 : (double) count(Category.MISMATCHED) / n;
    }

    /** Keys whose results agree (matched or late) / all keys; 0 when there are none. */
    public double matchRate() {
      long n = samples();
      return n == 0 ? 0 : (double) (count(Category.MATCHED) + count(Category.LATE)) / n;
    }

    public KeyList keys(Category c) {
      return keys.getOrDefault(c, KeyList.EMPTY);
    }
  }

  /**
   * One slice of the window.
   *
   * @param start where it starts
   * @param length how long it is
   * @param samples keys whose first run started in it
   * @param agreeing of those, matched or late
   * @param mismatched of those, mismatched
   */
  public record TimeBucket(
      Instant start, Duration length, long samples, long agreeing, long mismatched) {
    /** agreeing / samples, or NaN when the bucket is empty. */
    public double matchRate() {
      return samples == 0 ? Double.NaN : (double) agreeing / samples;
    }
  }

  /**
   * Mismatches that differ the same way.
   *
   * @param signature the outcome pair and the differing paths
   * @param count how many keys
   * @param exampleKeys the first few keys
   * @param example the first mismatch, with its diff
   */
  public record MismatchGroup(
      String signature, long count, List<String> exampleKeys, Finding.Mismatched example) {
    public MismatchGroup {
      exampleKeys = List.copyOf(exampleKeys);
    }
  }

  /**
   * The first keys of a category and how many there were.
   *
   * @param keys the first keys, in the order met (key order when read by {@code ReportQuery})
   * @param total how many keys the category has
   */
  public record KeyList(List<String> keys, long total) {
    public static final KeyList EMPTY = new KeyList(List.of(), 0);

    public KeyList {
      keys = List.copyOf(keys);
    }

    public boolean truncated() {
      return total > keys.size();
    }
  }

  /**
   * Transport verification.
   *
   * @param counts messages per category (every category present)
   * @param latency first delivery minus first publish, for messages observed
   * @param keys {@code sink messageKey} per category but DELIVERED, capped
   */
  public record Transport(
      Map<TransportCategory, Long> counts,
      Histogram latency,
      Map<TransportCategory, KeyList> keys) {
    public Transport {
      counts = Collections.unmodifiableMap(new EnumMap<>(counts));
      keys = Collections.unmodifiableMap(new EnumMap<>(keys));
    }

    public long count(TransportCategory c) {
      return counts.getOrDefault(c, 0L);
    }

    /** Every (sink, message) seen. */
    public long messages() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Observed exactly once (delivered, late or payload differs): the base of the payload rate. */
    public long compared() {
      return count(TransportCategory.DELIVERED)
          + count(TransportCategory.LATE)
          + count(TransportCategory.PAYLOAD_DIFFERS);
    }

    public KeyList keys(TransportCategory c) {
      return keys.getOrDefault(c, KeyList.EMPTY);
    }
  }
}
