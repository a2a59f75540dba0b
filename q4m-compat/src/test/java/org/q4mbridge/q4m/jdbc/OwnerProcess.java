package org.q4mbridge.q4m.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A legacy worker in a process of its own (acceptance item 16): connects, takes one row of a queue
 * table, prints {@code OWNED <v>} and blocks until it is killed. Its row must come back when the
 * process dies without ending it.
 *
 * <p>Arguments: JDBC URL, user, password, table.
 */
public final class OwnerProcess {
  private OwnerProcess() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2]);
        PreparedStatement wait = c.prepareStatement("SELECT queue_wait(?, 10)");
        Statement st = c.createStatement()) {
      wait.setString(1, args[3]);
      try (ResultSet rs = wait.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != 1) {
          System.out.println("NOTHING " + rs.getString(1));
          System.out.flush();
          return;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT v FROM " + args[3])) {
        rs.next();
        System.out.println("OWNED " + rs.getInt(1));
        System.out.flush();
      }
      // Hold the row until the parent kills this process.
      System.in.read();
    }
  }
}
