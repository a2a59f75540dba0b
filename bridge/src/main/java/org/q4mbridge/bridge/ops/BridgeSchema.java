package org.q4mbridge.bridge.ops;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The bridge's own tables (dead letters, epochs, phase log, ledger, outcomes), managed by Flyway
 * from the migrations in {@code sql/} (packaged as {@code db/migration}). Only {@code q4m-bridge
 * migrate} changes the schema; the daemon calls {@link #requireCurrent()} and refuses to start on a
 * missing or outdated schema, so an upgrade never migrates a production database silently.
 */
public final class BridgeSchema {
  /** Flyway's history table, named so a DBA sees whose it is. */
  public static final String HISTORY_TABLE = "q4m_bridge_schema_history";

  private final Flyway flyway;
  private final String schema;

  public BridgeSchema(String jdbcUrl, String user, String password, String schema) {
    this.schema = schema;
    this.flyway =
        Flyway.configure()
            .dataSource(jdbcUrl, user, password)
            .schemas(schema)
            .defaultSchema(schema)
            .table(HISTORY_TABLE)
            .locations("classpath:db/migration")
            .createSchemas(true)
            // The bridge's tables usually live beside the queue tables: a non-empty database is
            // normal, and version 0 as baseline keeps every real migration pending.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load();
  }

  /** Applies pending migrations; returns a one-line summary. */
  public String migrate() {
    MigrateResult r = flyway.migrate();
    return r.migrationsExecuted == 0
        ? "bridge schema " + schema + " is up to date (version " + current() + ")"
        : "bridge schema "
            + schema
            + ": applied "
            + r.migrationsExecuted
            + " migration(s), now at version "
            + r.targetSchemaVersion;
  }

  /** The applied version, or "none". */
  public String current() {
    MigrationInfo c = flyway.info().current();
    return c == null ? "none" : c.getVersion().getVersion();
  }

  /**
   * Checks the schema is fully migrated.
   *
   * @throws IllegalStateException naming what is pending and the command that fixes it
   */
  public void requireCurrent() {
    MigrationInfoService info;
    try {
      info = flyway.info();
    } catch (FlywayException e) {
      throw new IllegalStateException(
          "cannot read the bridge schema " + schema + ": " + e.getMessage(), e);
    }
    MigrationInfo[] pending = info.pending();
    if (pending.length > 0) {
      String list =
          Arrays.stream(pending)
              .map(m -> m.getVersion().getVersion() + " (" + m.getDescription() + ")")
              .collect(Collectors.joining(", "));
      throw new IllegalStateException(
          "bridge schema "
              + schema
              + " is at version "
              + (info.current() == null ? "none" : info.current().getVersion().getVersion())
              + " and needs "
              + list
              + ": run 'q4m-bridge migrate' first");
    }
  }
}
