/**
 * The comparison tables of {@code sql/V3__compare.sql} through plain JDBC: non-blocking batched
 * writers ({@link org.q4mbridge.compare.jdbc.OutcomeRecorder}, {@link
 * org.q4mbridge.compare.jdbc.LedgerWriter}), the streaming report query ({@link
 * org.q4mbridge.compare.jdbc.ReportQuery}) and retention. Every session is switched to UTC so times
 * written with {@code FROM_UNIXTIME} and read with {@code UNIX_TIMESTAMP} never shift.
 */
package org.q4mbridge.compare.jdbc;
