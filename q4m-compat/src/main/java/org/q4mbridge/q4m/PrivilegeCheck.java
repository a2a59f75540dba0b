package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that an account may do what the bridge does to a table, by running statements that touch
 * no row ({@code WHERE 1 = 0}) inside a transaction that is rolled back. Asking the server this way
 * is exact: it applies roles, wildcards and column grants the same way it will later.
 */
public final class PrivilegeCheck {
  private PrivilegeCheck() {}

  /** What the bridge needs on a table. */
  public enum Need {
    SELECT,
    INSERT,
    DELETE
  }

  /**
   * Returns one message per missing privilege, each naming the GRANT that fixes it; empty when all
   * is well.
   *
   * @throws SQLException when the check itself cannot run (connection problems)
   */
  public static List<String> missing(Connection c, TableRef table, String account, Need... needs)
      throws SQLException {
    List<String> out = new ArrayList<>();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      for (Need n : needs) {
        String sql =
            switch (n) {
              case SELECT -> "SELECT 1 FROM " + table.quoted() + " WHERE 1 = 0";
              case INSERT ->
                  "INSERT INTO "
                      + table.quoted()
                      + " SELECT * FROM "
                      + table.quoted()
                      + " WHERE 1 = 0";
              case DELETE -> "DELETE FROM " + table.quoted() + " WHERE 1 = 0";
            };
        try {
          st.execute(sql);
        } catch (SQLException e) {
          if (SqlErrors.privilege(e)) {
            out.add(
                n
                    + " on "
                    + table
                    + " is missing: GRANT "
                    + n
                    + " ON "
                    + table.quoted()
                    + " TO "
                    + account
                    + ";");
          } else if (SqlErrors.unknownTable(e)) {
            out.add(
                "table '"
                    + table.table()
                    + "' does not exist in database '"
                    + table.schema()
                    + "'");
            break;
          } else if (n != Need.INSERT) {
            // INSERT … SELECT can fail for reasons unrelated to privileges (e.g. generated
            // columns).
            throw e;
          }
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
    return out;
  }
}
