package org.q4mbridge.compare;

import java.util.Locale;

/** Which worker recorded an outcome: the authoritative legacy one or the candidate under test. */
public enum Side {
  LEGACY,
  CANDIDATE;

  /** The value stored in {@code q4m_outcome.side}: {@code legacy} or {@code candidate}. */
  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The side stored as {@code legacy} or {@code candidate}. */
  public static Side ofSql(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
