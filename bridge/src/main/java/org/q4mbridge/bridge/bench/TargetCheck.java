package org.q4mbridge.bridge.bench;

/**
 * One target of DESIGN.md §9 against what this run measured.
 *
 * @param target the target in words
 * @param measured the measured figure in words
 * @param status whether it was met
 * @param why what explains the status where it needs explaining, else empty
 */
public record TargetCheck(String target, String measured, Status status, String why) {

  /** Whether a target was met. */
  public enum Status {
    MET,
    NOT_MET,
    /** This run cannot tell (a condition of the target did not hold); {@code why} says which. */
    NOT_APPLICABLE
  }

  public TargetCheck {
    why = why == null ? "" : why;
  }
}
