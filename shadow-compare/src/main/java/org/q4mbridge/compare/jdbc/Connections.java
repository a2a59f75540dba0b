package org.q4mbridge.compare.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the writers and queries of this module get a JDBC connection: {@code
 * dataSource::getConnection}, or {@code () -> DriverManager.getConnection(url, user, password)}.
 * Every connection obtained is closed by the code that asked for it. Implementations must be
 * thread-safe (writers call it from their own threads) and should bound their waits (a pool's
 * connection timeout), since a writer thread blocked here stops writing, and record calls then drop
 * rows once the queue is full.
 */
@FunctionalInterface
public interface Connections {
  /** A new or pooled connection in auto-commit mode. */
  Connection open() throws SQLException;
}
