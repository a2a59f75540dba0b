package org.q4mbridge.compare;

/**
 * What the comparison of one key found. Every key observed on either side lands in exactly one
 * category, decided in this order: duplicated, missing (either side), mismatched, late, matched.
 */
public enum Category {
  /** One run per side, same outcome, same result after normalisation, candidate on time. */
  MATCHED("matched"),
  /** One run per side, and the outcome or the normalised result differ. */
  MISMATCHED("mismatched"),
  /** Legacy ran the job, the candidate never did. */
  MISSING_ON_CANDIDATE("missing on candidate"),
  /** The candidate ran a job the legacy side never ran. */
  MISSING_ON_LEGACY("missing on legacy"),
  /** A side ran the job more than once. */
  DUPLICATED("duplicated"),
  /** Results agree, but the candidate finished later than legacy + {@link Rules#lateAfter()}. */
  LATE("late");

  private final String label;

  Category(String label) {
    this.label = label;
  }

  /** For people: {@code missing on candidate}. */
  public String label() {
    return label;
  }
}
