package org.q4mbridge.bridge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The MySQL / MariaDB server that holds the queue tables and the bridge's own schema ({@code
 * database:}).
 *
 * @param url JDBC URL ({@code jdbc:mysql://}, {@code jdbc:mariadb://} or {@code
 *     jdbc:q4m:mysql://}); never carries credentials (the loader rejects user-info and {@code
 *     password=} in it)
 * @param user the bridge's account
 * @param password its password; empty when the account has none
 * @param schema the bridge's own schema (dead letters, epochs, phase log) and the default schema of
 *     unqualified queue table names; defaults to the database named in {@code url}
 * @param pool the shared connection pool (ledger, dead letters, phase log — never queue owners,
 *     which have dedicated connections)
 */
public record DatabaseConfig(
    String url, String user, Optional<Secret> password, String schema, Pool pool) {

  public DatabaseConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(pool, "pool");
  }

  /**
   * The shared pool ({@code database.pool:}).
   *
   * @param maxSize most connections open at once (default 8)
   */
  public record Pool(int maxSize) {}
}
