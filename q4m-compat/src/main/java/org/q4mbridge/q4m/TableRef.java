package org.q4mbridge.q4m;

import java.util.Locale;

/**
 * A table named by schema (database) and table name, both validated identifiers. Q4M names queues
 * {@code [db.]table}; the schema is always resolved before a {@code TableRef} is made.
 */
public record TableRef(String schema, String table) {
  public TableRef {
    Identifiers.require(schema, "schema");
    Identifiers.require(table, "table");
  }

  /**
   * Parses {@code db.table} or {@code table}; a bare table takes {@code defaultSchema}.
   *
   * @throws IllegalArgumentException when a part is not a valid identifier or there is no schema
   */
  public static TableRef parse(String name, String defaultSchema) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("table name is empty: expected [schema.]table");
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      if (defaultSchema == null || defaultSchema.isBlank()) {
        throw new IllegalArgumentException(
            "table '" + name + "' has no schema and the connection has no current database");
      }
      return new TableRef(defaultSchema, name);
    }
    return new TableRef(name.substring(0, dot), name.substring(dot + 1));
  }

  /** {@code `schema`.`table`}, safe to splice into SQL. */
  public String quoted() {
    return Identifiers.quote(schema) + '.' + Identifiers.quote(table);
  }

  /** Same table ignoring case (MySQL table names are case-insensitive on most installs). */
  public boolean sameAs(TableRef other) {
    return schema.equalsIgnoreCase(other.schema) && table.equalsIgnoreCase(other.table);
  }

  /** Lower-cased key for maps that should match tables case-insensitively. */
  public String key() {
    return (schema + '.' + table).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return schema + '.' + table;
  }
}
