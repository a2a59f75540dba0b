package org.q4mbridge.compare;

/**
 * What transport verification found for one message on one sink. Every (sink, message key) seen in
 * the ledger or by the shadow consumer lands in exactly one category, decided in this order:
 * unexpected, missing / unconfirmed, duplicated, payload differs, late, delivered.
 */
public enum TransportCategory {
  /** Observed exactly once, with the forwarded digest, within the SLA. */
  DELIVERED("delivered"),
  /** Observed once and intact, but later than forwarded + the SLA. */
  LATE("late"),
  /** Observed with a body digest different from the one forwarded. */
  PAYLOAD_DIFFERS("payload differs"),
  /** Observed more than once. */
  DUPLICATED("duplicated"),
  /** Confirmed by the sink, never observed: lost between the broker and its consumers. */
  MISSING("missing"),
  /** Forwarded, never confirmed and never observed: the bridge will resend it; not a loss. */
  UNCONFIRMED("unconfirmed"),
  /** Observed, but the ledger has no forward of it in the window. */
  UNEXPECTED("unexpected");

  private final String label;

  TransportCategory(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
