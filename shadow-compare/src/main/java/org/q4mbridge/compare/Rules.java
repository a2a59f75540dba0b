package org.q4mbridge.compare;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How outcomes are compared: the normalisation of result JSON, the lateness SLA and sampling. An
 * immutable value, validated when built: a bad path or rate throws {@link IllegalArgumentException}
 * with the reason.
 *
 * <p>Key order in JSON objects is always ignored. Array order is significant.
 *
 * @param ignoredPaths JSON paths left out of the comparison on both sides (syntax: {@code
 *     $.meta.requestId}, {@code items[*].id}; see the module README)
 * @param numbers how numbers compare
 * @param lateAfter a candidate run is late when it finished more than this after the legacy run
 * @param sampleRate share of keys compared, in (0, 1]; a key is in the sample when {@link
 *     #samplePoint} of it is below the rate, so both sides and every report agree on the sample
 */
public record Rules(
    Set<String> ignoredPaths, NumberMatching numbers, Duration lateAfter, double sampleRate) {
  public Rules {
    ignoredPaths = Collections.unmodifiableSet(new TreeSet<>(ignoredPaths));
    ignoredPaths.forEach(JsonPaths::parse);
    Objects.requireNonNull(numbers, "numbers");
    Objects.requireNonNull(lateAfter, "lateAfter");
    if (lateAfter.isNegative()) {
      throw new IllegalArgumentException("lateAfter must not be negative: " + lateAfter);
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sampleRate must be in (0, 1], got " + sampleRate);
    }
  }

  /** No ignored paths, numbers by value, late after 1 minute, every key. */
  public static Rules defaults() {
    return new Rules(Set.of(), NumberMatching.BY_VALUE, Duration.ofMinutes(1), 1.0);
  }

  public Rules ignoring(String... paths) {
    Set<String> all = new TreeSet<>(ignoredPaths);
    all.addAll(Arrays.asList(paths));
    return new Rules(all, numbers, lateAfter, sampleRate);
  }

  public Rules withNumbers(NumberMatching n) {
    return new Rules(ignoredPaths, n, lateAfter, sampleRate);
  }

  public Rules withLateAfter(Duration sla) {
    return new Rules(ignoredPaths, numbers, sla, sampleRate);
  }

  public Rules withSampleRate(double rate) {
    return new Rules(ignoredPaths, numbers, lateAfter, rate);
  }

  /** Whether {@code key} is in the sample. */
  public boolean sampled(String key) {
    return sampleRate >= 1.0 || samplePoint(key) < sampleRate;
  }

  /**
   * Where a key falls in [0, 1): the first 13 hex digits (52 bits) of the SHA-256 of its UTF-8
   * bytes, divided by 2^52. In SQL: {@code CONV(LEFT(SHA2(key, 256), 13), 16, 10) / POW(2, 52)}.
   */
  public static double samplePoint(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return (v >>> 4) / (double) (1L << 52);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** One line for reports: what was ignored and how. */
  public String describe() {
    return "numbers "
        + numbers.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + "; key order ignored"
        + (ignoredPaths.isEmpty() ? "" : "; ignored paths " + String.join(", ", ignoredPaths))
        + "; late after "
        + Durations.format(lateAfter)
        + (sampleRate < 1 ? "; sample rate " + sampleRate : "");
  }
}
