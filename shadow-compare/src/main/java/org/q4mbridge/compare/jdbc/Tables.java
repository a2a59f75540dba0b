package org.q4mbridge.compare.jdbc;

/**
 * Where the comparison tables of {@code sql/V3__compare.sql} live: in the connection's current
 * database ({@link #DEFAULT}) or in a named schema ({@link #in}), as {@code database.schema} in
 * bridge.yml says.
 *
 * @param ledger qualified, quoted name of {@code q4m_ledger}
 * @param transport qualified, quoted name of {@code q4m_transport_observation}
 * @param outcome qualified, quoted name of {@code q4m_outcome}
 */
public record Tables(String ledger, String transport, String outcome) {
  public static final Tables DEFAULT = of(null);

  /** The tables in {@code schema}; {@code [A-Za-z0-9_$]} names only, so quoting is trivial. */
  public static Tables in(String schema) {
    if (schema == null || !schema.matches("[A-Za-z0-9_$]{1,64}")) {
      throw new IllegalArgumentException(
          "schema name must be 1-64 characters of [A-Za-z0-9_$], got '" + schema + "'");
    }
    return of(schema);
  }

  private static Tables of(String schema) {
    String p = schema == null ? "" : "`" + schema + "`.";
    return new Tables(p + "`q4m_ledger`", p + "`q4m_transport_observation`", p + "`q4m_outcome`");
  }
}
