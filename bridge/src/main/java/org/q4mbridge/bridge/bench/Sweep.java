package org.q4mbridge.bridge.bench;

import java.util.Locale;

/**
 * One pump configuration of a sweep: consumers × rows per claim, written {@code 4x100}.
 *
 * @param consumers consumer loops (1..256, as the configuration allows)
 * @param batchSize rows per claim (1..10000)
 */
public record Sweep(int consumers, int batchSize) {
  public Sweep {
    if (consumers < 1 || consumers > 256) {
      throw new IllegalArgumentException("consumers must be 1..256, got " + consumers);
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batch size must be 1..10000, got " + batchSize);
    }
  }

  /** Parses {@code <consumers>x<batch>}, e.g. {@code 4x100}. */
  public static Sweep parse(String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "expected <consumers>x<batch> such as 4x100, got '" + text + "'");
    }
    try {
      return new Sweep(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected <consumers>x<batch> such as 4x100, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return consumers + "x" + batchSize;
  }
}
