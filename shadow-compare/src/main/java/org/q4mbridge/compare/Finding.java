package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the comparison found for one correlation key: one of six alternatives, one per {@link
 * Category}. Immutable.
 */
public sealed interface Finding {
  /** The correlation key. */
  String key();

  Category category();

  /** The legacy runs of this key (at most a bounded number for duplicated keys). */
  List<Observation> legacyRuns();

  /** The candidate runs of this key. */
  List<Observation> candidateRuns();

  /** The earliest start among all runs: where the key falls in time. */
  default Instant firstStarted() {
    return Stream.concat(legacyRuns().stream(), candidateRuns().stream())
        .map(Observation::startedAt)
        .min(Instant::compareTo)
        .orElseThrow();
  }

  /** One run per side, equal after normalisation, on time. */
  record Matched(String key, Observation legacy, Observation candidate) implements Finding {
    @Override
    public Category category() {
      return Category.MATCHED;
    }

    @Override
    public List<Observation> legacyRuns() {
      return List.of(legacy);
    }

    @Override
    public List<Observation> candidateRuns() {
      return List.of(candidate);
    }
  }

  /**
   * One run per side that disagree.
   *
   * @param diffs field-level differences of the normalised results (empty when only the outcome
   *     differs)
   */
  record Mismatched(String key, Observation legacy, Observation candidate, List<FieldDiff> diffs)
      implements Finding {
    public Mismatched {
      diffs = List.copyOf(diffs);
    }

    public boolean outcomeDiffers() {
      return !legacy.outcome().equals(candidate.outcome());
    }

    /**
     * What kind of mismatch this is, so equal mistakes group together in a report: the outcome pair
     * when it differs and the differing paths, array indices folded to {@code [*]}.
     */
    public String signature() {
      StringBuilder sb = new StringBuilder();
      if (outcomeDiffers()) {
        sb.append("outcome ").append(legacy.outcome()).append(" → ").append(candidate.outcome());
      }
      String paths =
          diffs.stream()
              .map(d -> d.path().replaceAll("\\[\\d+]", "[*]"))
              .distinct()
              .sorted()
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
      if (!paths.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "; ").append(paths);
      }
      return sb.toString();
    }

    @Override
    public Category category() {
      return Category.MISMATCHED;
    }

    @Override
    public List<Observation> legacyRuns() {
      return List.of(legacy);
    }

    @Override
    public List<Observation> candidateRuns() {
      return List.of(candidate);
    }
  }

  /** Results agree but the candidate finished {@code by} later than legacy + the SLA allows. */
  record Late(String key, Observation legacy, Observation candidate, Duration by)
      implements Finding {
    @Override
    public Category category() {
      return Category.LATE;
    }

    @Override
    public List<Observation> legacyRuns() {
      return List.of(legacy);
    }

    @Override
    public List<Observation> candidateRuns() {
      return List.of(candidate);
    }
  }

  /** Legacy ran it; the candidate did not. */
  record MissingOnCandidate(String key, Observation legacy) implements Finding {
    @Override
    public Category category() {
      return Category.MISSING_ON_CANDIDATE;
    }

    @Override
    public List<Observation> legacyRuns() {
      return List.of(legacy);
    }

    @Override
    public List<Observation> candidateRuns() {
      return List.of();
    }
  }

  /** The candidate ran it; legacy did not. */
  record MissingOnLegacy(String key, Observation candidate) implements Finding {
    @Override
    public Category category() {
      return Category.MISSING_ON_LEGACY;
    }

    @Override
    public List<Observation> legacyRuns() {
      return List.of();
    }

    @Override
    public List<Observation> candidateRuns() {
      return List.of(candidate);
    }
  }

  /**
   * A side ran the job more than once.
   *
   * @param legacyCount how many legacy runs were recorded (the lists may hold fewer)
   * @param candidateCount how many candidate runs were recorded
   */
  record Duplicated(
      String key,
      List<Observation> legacyRuns,
      List<Observation> candidateRuns,
      int legacyCount,
      int candidateCount)
      implements Finding {
    public Duplicated {
      legacyRuns = List.copyOf(legacyRuns);
      candidateRuns = List.copyOf(candidateRuns);
    }

    @Override
    public Category category() {
      return Category.DUPLICATED;
    }
  }
}
