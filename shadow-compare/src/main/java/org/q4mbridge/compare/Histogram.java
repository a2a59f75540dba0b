package org.q4mbridge.compare;

import java.time.Duration;
import java.util.List;

/**
 * Counts of durations in fixed, roughly logarithmic bins (1 ms .. 5 min, then one overflow bin):
 * constant memory whatever the number of samples. {@link Builder} is not thread-safe; a built
 * histogram is immutable.
 *
 * @param boundsMillis upper bounds (inclusive) of every bin but the last
 * @param counts one per bin; the last counts everything above the last bound
 */
public record Histogram(List<Long> boundsMillis, List<Long> counts) {
  /** The bins every histogram of this module uses. */
  public static final List<Long> BOUNDS =
      List.of(
          1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 30_000L,
          60_000L, 300_000L);

  public Histogram {
    boundsMillis = List.copyOf(boundsMillis);
    counts = List.copyOf(counts);
    if (counts.size() != boundsMillis.size() + 1) {
      throw new IllegalArgumentException("need one count per bound plus one overflow count");
    }
  }

  public long total() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The upper bound of the bin holding the {@code p}-quantile ({@code p} in (0, 1]), or null when
   * empty or when it falls in the overflow bin (read: more than the last bound).
   */
  public Duration quantile(double p) {
    long total = total();
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < boundsMillis.size(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Duration.ofMillis(boundsMillis.get(i));
      }
    }
    return null;
  }

  /** The label of bin {@code i}: {@code ≤10ms}, or {@code >5m} for the overflow bin. */
  public String label(int i) {
    if (i < boundsMillis.size()) {
      return "≤" + Durations.format(Duration.ofMillis(boundsMillis.get(i)));
    }
    return ">" + Durations.format(Duration.ofMillis(boundsMillis.get(boundsMillis.size() - 1)));
  }

  /** Accumulates durations. */
  public static final class Builder {
    private final long[] counts = new long[BOUNDS.size() + 1];

    public Builder add(Duration d) {
      long ms = Math.max(0, d.toMillis());
      int i = 0;
      while (i < BOUNDS.size() && ms > BOUNDS.get(i)) {
        i++;
      }
      counts[i]++;
      return this;
    }

    public Histogram build() {
      return new Histogram(BOUNDS, java.util.Arrays.stream(counts).boxed().toList());
    }
  }
}
