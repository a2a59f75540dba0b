package org.q4mbridge.q4m;

/**
 * One column of a queue table, in table order.
 *
 * @param name column name as the server reports it
 * @param sqlType a {@link java.sql.Types} constant
 * @param typeName the server's type name, e.g. {@code MEDIUMTEXT} or {@code INT UNSIGNED}
 */
public record QueueColumn(String name, int sqlType, String typeName) {}
