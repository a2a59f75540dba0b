package org.q4mbridge.bridge.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An HdrHistogram of latencies in microseconds (3 significant digits, up to an hour), safe for
 * concurrent recording from consumer and I/O threads.
 */
public final class LatencyRecorder {
  private static final long HOUR_MICROS = 3_600_000_000L;
  private final Histogram histogram = new ConcurrentHistogram(HOUR_MICROS, 3);

  /** Records one value in nanoseconds (clamped to the histogram's range). */
  public void recordNanos(long nanos) {
    recordMicros(nanos / 1000);
  }

  /** Records one value in milliseconds. */
  public void recordMillis(long millis) {
    recordMicros(millis * 1000);
  }

  private void recordMicros(long micros) {
    histogram.recordValue(Math.max(0, Math.min(HOUR_MICROS, micros)));
  }

  /** The percentiles so far. */
  public LatencyStats stats(String measures) {
    Histogram copy = histogram.copy();
    if (copy.getTotalCount() == 0) {
      return LatencyStats.none(measures);
    }
    return new LatencyStats(
        measures,
        copy.getTotalCount(),
        ms(copy.getValueAtPercentile(50)),
        ms(copy.getValueAtPercentile(95)),
        ms(copy.getValueAtPercentile(99)),
        ms(copy.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
