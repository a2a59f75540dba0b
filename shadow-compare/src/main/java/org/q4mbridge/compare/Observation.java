package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution of a job by one side, as recorded in {@code q4m_outcome}.
 *
 * @param key the job's correlation key
 * @param outcome worker-defined verdict ({@code ok}, {@code failed}, ...), compared literally
 * @param resultDigest SHA-256 hex of the result, or null; compared only when a side has no JSON
 * @param resultJson the result as JSON (or any text), or null; compared after normalisation
 * @param startedAt when the worker started the job
 * @param finishedAt when it finished (not before {@code startedAt})
 * @param worker who ran it, for a person chasing a difference; may be null
 */
public record Observation(
    String key,
    String outcome,
    String resultDigest,
    String resultJson,
    Instant startedAt,
    Instant finishedAt,
    String worker) {
  public Observation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  /** How long the job took; zero when the clocks of a side recorded the finish before the start. */
  public Duration duration() {
    Duration d = Duration.between(startedAt, finishedAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
