package org.q4mbridge.compare;

/** How numbers in result JSON are compared. */
public enum NumberMatching {
  /** As written: {@code 1} and {@code 1.0} differ, {@code 1} and {@code "1"} differ. */
  EXACT,
  /** By value: {@code 1}, {@code 1.0} and {@code 1e0} are equal; {@code "1"} is still text. */
  BY_VALUE,
  /**
   * By value, and text that is a JSON number counts as that number: {@code 1}, {@code 1.0} and
   * {@code "1"} are all equal (PHP's {@code json_encode} writes many numbers as strings).
   */
  BY_VALUE_AND_NUMERIC_TEXT
}
