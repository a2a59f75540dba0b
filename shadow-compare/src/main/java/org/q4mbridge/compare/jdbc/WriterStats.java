package org.q4mbridge.compare.jdbc;

/**
 * What a background writer did so far.
 *
 * @param accepted rows taken into the queue
 * @param written rows inserted
 * @param dropped rows refused because the queue was full or the writer closed
 * @param failed rows given up after {@link WriterOptions#maxAttempts()} failed writes, or still
 *     queued when {@code close()} timed out
 */
public record WriterStats(long accepted, long written, long dropped, long failed) {
  /** Rows accepted but neither written nor given up yet. */
  public long pending() {
    return accepted - written - failed;
  }
}
