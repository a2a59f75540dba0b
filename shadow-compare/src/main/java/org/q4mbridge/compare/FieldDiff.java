package org.q4mbridge.compare;

/**
 * One difference between the legacy and the candidate result, after normalisation.
 *
 * @param path where, as {@code $.items[2].sku}; {@code $} for the whole result
 * @param legacy the legacy value as compact JSON, or null when the legacy result has no such field
 * @param candidate the candidate value as compact JSON, or null when the candidate has no such
 *     field
 */
public record FieldDiff(String path, String legacy, String candidate) {
  /** What kind of difference this is, for a person: changed, missing or extra. */
  public String kind() {
    if (legacy == null) {
      return "only in candidate";
    }
    if (candidate == null) {
      return "missing in candidate";
    }
    return "changed";
  }
}
