package org.q4mbridge.q4m;

/**
 * A claimed row to be moved to the dead-letter table instead of going back to the queue.
 *
 * @param rowId the claimed row
 * @param reason the last error, written with the row so an operator can fix and replay it
 * @param attempts how many times forwarding was tried
 * @param firstSeenMillis when the row was first claimed (epoch millis), or 0 when unknown
 */
public record DeadLetter(long rowId, String reason, int attempts, long firstSeenMillis) {}
