package org.q4mbridge.q4m.convert;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.IdleWait;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionException.TableState;
import org.q4mbridge.q4m.convert.ConversionPlan.CopyOrder;
import org.q4mbridge.q4m.convert.ConversionPlan.Step;

/**
 * One execution of a {@link ConversionPlan}: runs its statements on the main connection, the RENAME
 * on a second one, and on failure works out where the tables are, removes what this run created if
 * nothing was swapped, and says what is left to do. Single use, confined to the calling thread
 * (plus the RENAME's thread).
 */
final class ConversionRun {
  /** Extra time the RENAME may wait beyond the main session's own lock waits. */
  private static final long SWAP_EXTRA_WAIT_SECONDS = 60;

  private final ConversionPlan plan;
  private final ConnectionFactory connections;
  private final TableConverter.Progress progress;
  private final Clock clock;
  private final long lockWaitSeconds;
  // Wakes early when the RENAME ends, so a failed RENAME is noticed at once.
  private final IdleWait pause = new IdleWait(Duration.ofMillis(2), Duration.ofMillis(50));

  private Connection main;
  private Connection swap;
  private long swapConnectionId;
  private ExecutorService swapThread;
  private Future<?> swapResult;

  private boolean createdTarget;
  private boolean createdPlaceholder;
  private boolean placeholderDropped;
  private boolean locked;
  private boolean oldDropped;
  private long rowsBefore;
  private long total;
  private long caughtUp;

  ConversionRun(
      ConversionPlan plan,
      ConnectionFactory connections,
      TableConverter.Progress progress,
      Clock clock) {
    this.plan = plan;
    this.connections = connections;
    this.progress = progress;
    this.clock = clock;
    this.lockWaitSeconds = plan.options().lockWaitTimeout().toSeconds();
  }

  ConversionResult execute() throws ConversionException {
    Instant start = clock.instant();
    Step step = null;
    try {
      start();
      for (Step s : plan.steps()) {
        step = s;
        progress.stepStarted(s);
        perform(s);
      }
    } catch (ConversionException e) {
      throw e;
    } catch (InterruptedException e) {
      // Clear the flag so the bounded clean-up waits work, and set it again for the caller.
      Thread.interrupted();
      ConversionException failure = failed(step, e, Kind.SERVER);
      Thread.currentThread().interrupt();
      throw failure;
    } catch (SQLException e) {
      throw failed(step, e, TableConverter.kindOf(e));
    } catch (CheckFailed e) {
      throw failed(step, e, e.kind);
    } catch (RuntimeException e) {
      throw failed(step, e, Kind.SERVER);
    } finally {
      closeAll();
    }
    return new ConversionResult(
        plan.source(),
        plan.old(),
        !oldDropped,
        rowsBefore,
        total,
        caughtUp,
        Duration.between(start, clock.instant()));
  }

  /** Opens both sessions and checks that the table is still the one planned. */
  private void start() throws ConversionException {
    try {
      main = open();
      swap = open();
      swapConnectionId = longQuery(swap, "SELECT CONNECTION_ID()");
      // The RENAME waits while the main session finishes the cut-over; it must outlast that.
      exec(
          swap,
          "SET SESSION lock_wait_timeout = " + (lockWaitSeconds * 2 + SWAP_EXTRA_WAIT_SECONDS));
      String now;
      try (Statement st = main.createStatement();
          ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + plan.source().quoted())) {
        rs.next();
        now = rs.getString(2);
      }
      if (!now.equals(plan.sourceDefinition())) {
        throw new ConversionException(
            Kind.INVALID,
            TableState.NOT_STARTED,
            "cannot convert "
                + plan.source()
                + ": its definition changed since the conversion was planned; plan it again");
      }
      for (TableRef t : List.of(plan.target(), plan.old())) {
        if (exists(main, t)) {
          throw new ConversionException(
              Kind.INVALID,
              TableState.NOT_STARTED,
              "cannot convert "
                  + plan.source()
                  + ": table "
                  + t
                  + " appeared since the conversion was planned; drop or rename it, then plan"
                  + " again");
        }
      }
      rowsBefore = longQuery(main, "SELECT COUNT(*) FROM " + plan.source().quoted());
    } catch (SQLException e) {
      throw new ConversionException(
          TableConverter.kindOf(e),
          TableState.NOT_STARTED,
          "cannot convert "
              + plan.source()
              + ": "
              + SqlErrors.wrap("starting the conversion", e, main).getMessage()
              + grantHintIfPrivilege(e)
              + " Nothing was changed.",
          e);
    }
  }

  private void perform(Step step) throws SQLException, CheckFailed, InterruptedException {
    switch (step.action()) {
      case SESSION -> execAll(main, step);
      case CREATE_TARGET -> {
        execAll(main, step);
        createdTarget = true;
      }
      case CREATE_PLACEHOLDER -> {
        execAll(main, step);
        createdPlaceholder = true;
      }
      case COPY -> copy(step);
      case MARK -> {
        execAll(main, step);
        progress.rowsCopied(longQuery(main, "SELECT @q4m_copied"), rowsBefore);
      }
      case LOCK -> {
        execAll(main, step);
        locked = true;
      }
      case COPY_FINAL -> {
        execAll(main, step);
        total = longQuery(main, "SELECT @q4m_total");
        progress.rowsCopied(total, rowsBefore);
      }
      case CHECK_COUNT -> {
        List<Object> row = execAll(main, step);
        long source = ((Number) row.get(0)).longValue();
        long copied = row.get(1) == null ? -1 : ((Number) row.get(1)).longValue();
        if (source != copied) {
          throw new CheckFailed(
              "the source has "
                  + source
                  + " rows but "
                  + copied
                  + " were copied: rows were consumed, deleted"
                  + (plan.copyOrder() == CopyOrder.KEY
                      ? " or inserted with keys below the last copied one"
                      : ", or are owned by a running consumer")
                  + " during the copy. Stop consumers"
                  + (plan.copyOrder() == CopyOrder.KEY ? " (and producers)" : "")
                  + " and try again");
        }
      }
      case CHECK_CONTENT -> {
        List<Object> row = execAll(main, step);
        Object source = row.get(0);
        Object copied = row.get(1);
        if (!(source == null ? copied == null : copied != null && compare(source, copied) == 0)) {
          throw new CheckFailed(
              "the copied rows differ from the source's (checksum "
                  + copied
                  + " instead of "
                  + source
                  + "): rows were consumed and replaced, or changed, during the copy."
                  + " Stop consumers and try again");
        }
      }
      case CHECK_ORDER -> {
        List<Object> row = execAll(main, step);
        Object same = row.isEmpty() ? null : row.get(0);
        if (same == null || ((Number) same).intValue() != 1) {
          throw new CheckFailed(
              "the last row of the bulk copy is no longer at its position in the source: rows"
                  + " were deleted or consumed, or inserted out of order (a long producer"
                  + " transaction on InnoDB), during the copy. Stop consumers and try again");
        }
      }
      case SWAP -> startSwap(step);
      case DROP_PLACEHOLDER -> {
        execAll(main, step);
        placeholderDropped = true;
      }
      case UNLOCK -> {
        execAll(main, step);
        locked = false;
        awaitSwap();
      }
      case CATCH_UP -> {
        execAll(main, step);
        caughtUp = longQuery(main, "SELECT @q4m_caught_up");
      }
      case DROP_OLD -> {
        execAll(main, step);
        oldDropped = true;
      }
    }
  }

  /** Compares two SUM() results, which the driver returns as BigDecimal. */
  private static int compare(Object a, Object b) {
    return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
  }

  private void copy(Step step) throws SQLException {
    int batch = plan.options().batchRows();
    if (plan.copyOrder() == CopyOrder.KEY && batch > 0) {
      // The plan shows the one-statement form; batches are the same statement with a LIMIT,
      // each followed by the watermark update (the step's second statement).
      String insert = step.statements().get(0) + " LIMIT " + batch;
      String watermark = step.statements().get(1);
      long copied = 0;
      long n;
      do {
        n = update(main, insert);
        copied += n;
        if (n > 0) {
          exec(main, watermark);
        }
        progress.rowsCopied(copied, rowsBefore);
        // A short batch means the end was reached; rows inserted since go to the final copy.
      } while (n == batch);
      return;
    }
    long copied = update(main, step.statements().get(0));
    for (String sql : step.statements().subList(1, step.statements().size())) {
      exec(main, sql);
    }
    progress.rowsCopied(copied, rowsBefore);
  }

  /** Issues the RENAME on the second session and returns once it waits for our lock. */
  private void startSwap(Step step) throws CheckFailed, InterruptedException, SQLException {
    String rename = step.statements().get(0);
    swapThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "q4m-convert-swap-" + plan.source());
              t.setDaemon(true);
              return t;
            });
    swapResult =
        swapThread.submit(
            () -> {
              try {
                exec(swap, rename);
              } finally {
                pause.wakeup();
              }
              return null;
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(lockWaitSeconds);
    // Dropping the placeholder before the RENAME waits would let producers' inserts run between
    // UNLOCK and RENAME, into the old table. So wait until the server shows it waiting.
    while (true) {
      if (swapResult.isDone()) {
        throw new CheckFailed("the RENAME ended before the lock was released: " + swapOutcome());
      }
      if (renameWaiting()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CheckFailed(
            "the RENAME on the second connection did not start waiting for the lock within "
                + lockWaitSeconds
                + " s");
      }
      pause.pause(left);
    }
  }

  private boolean renameWaiting() throws SQLException {
    try (PreparedStatement ps =
        main.prepareStatement("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?")) {
      ps.setLong(1, swapConnectionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            && rs.getString(1) != null
            && rs.getString(1).toLowerCase(Locale.ROOT).contains("metadata lock");
      }
    }
  }

  /** After UNLOCK: the RENAME now runs; wait for it. */
  private void awaitSwap() throws CheckFailed, InterruptedException, SQLException {
    try {
      swapResult.get(lockWaitSeconds * 2 + SWAP_EXTRA_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new CheckFailed("the RENAME failed: " + e.getCause(), Kind.SERVER);
    } catch (TimeoutException e) {
      throw new CheckFailed("the RENAME did not finish after the lock was released", Kind.SERVER);
    }
  }

  private String swapOutcome() throws InterruptedException {
    try {
      swapResult.get(0, TimeUnit.SECONDS);
      return "it succeeded";
    } catch (ExecutionException e) {
      return String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
    } catch (TimeoutException e) {
      return "still running";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Failure handling

  /** Settles the RENAME, reads the state, cleans up if nothing was swapped, explains. */
  private ConversionException failed(Step step, Throwable cause, Kind kind) {
    String where =
        step == null
            ? "before the first step"
            : "at step " + step.number() + " (" + step.action() + ")";
    String why = cause instanceof SQLException sql ? describe(sql) : messageOf(cause);
    if (cause instanceof SQLException sql) {
      why += grantHintIfPrivilege(sql);
    }
    String settleProblem = settleSwap();
    Connection c = usableConnection();
    TableState state;
    String stateProblem = null;
    if (c == null) {
      state = swapResult == null ? TableState.UNCHANGED : TableState.UNKNOWN;
      stateProblem = "no connection to the server";
    } else {
      try {
        state =
            swapResult == null || !hasRowId(c, plan.source())
                ? TableState.UNCHANGED
                : TableState.SWAPPED;
      } catch (SQLException e) {
        state = TableState.UNKNOWN;
        stateProblem = describe(e);
      }
    }
    if (state == TableState.UNKNOWN && settleProblem != null) {
      stateProblem = stateProblem + "; " + settleProblem;
    }
    String message =
        switch (state) {
          case UNCHANGED -> unchangedMessage(where, why, c);
          case SWAPPED -> swappedMessage(where, why, step);
          default -> unknownMessage(where, why, stateProblem);
        };
    return new ConversionException(kind, state, message, cause);
  }

  /**
   * Makes sure the RENAME is no longer pending, so that the state read next stays true: releases
   * the lock (while the placeholder exists the RENAME then fails), waits, and kills it if it still
   * waits. Returns a problem description, or null.
   */
  private String settleSwap() {
    if (locked && alive(main)) {
      try {
        exec(main, "UNLOCK TABLES");
        locked = false;
      } catch (SQLException e) {
        // The session is unusable; closing it releases the lock.
        closeQuietly(main);
      }
    }
    if (swapResult == null || swapResult.isDone()) {
      return null;
    }
    if (awaitDone(lockWaitSeconds + 5)) {
      return null;
    }
    Connection c = usableConnection();
    if (c != null) {
      try {
        exec(c, "KILL QUERY " + swapConnectionId);
      } catch (SQLException e) {
        return "the RENAME could not be stopped: " + describe(e);
      }
    }
    return awaitDone(10) ? null : "the RENAME on connection " + swapConnectionId + " still runs";
  }

  private boolean awaitDone(long seconds) {
    try {
      swapResult.get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return swapResult.isDone();
    }
  }

  private String unchangedMessage(String where, String why, Connection c) {
    List<String> dropped = new ArrayList<>();
    List<String> left = new ArrayList<>();
    if (c != null) {
      if (createdTarget) {
        dropIfPresent(c, plan.target(), false, dropped, left);
      }
      if (createdPlaceholder && !placeholderDropped) {
        dropIfPresent(c, plan.old(), true, dropped, left);
      }
    } else {
      if (createdTarget) {
        left.add("DROP TABLE " + plan.target().quoted() + ";");
      }
      if (createdPlaceholder && !placeholderDropped) {
        left.add("DROP TABLE " + plan.old().quoted() + "; (the placeholder)");
      }
    }
    StringBuilder m =
        new StringBuilder("Conversion of ")
            .append(plan.source())
            .append(" failed ")
            .append(where)
            .append(": ")
            .append(why)
            .append(". Nothing was swapped: ")
            .append(plan.source())
            .append(" is unchanged and producers keep writing to it; no row was moved or deleted.");
    if (!dropped.isEmpty()) {
      m.append(" Dropped what this run created: ").append(String.join(", ", dropped)).append('.');
    }
    if (!left.isEmpty()) {
      m.append(" Left over, drop before trying again: ").append(String.join(" ", left));
    }
    m.append(" Fix the cause, then plan and run the conversion again.");
    return m.toString();
  }

  private String swappedMessage(String where, String why, Step step) {
    StringBuilder m =
        new StringBuilder("Conversion of ")
            .append(plan.source())
            .append(": the swap happened — ")
            .append(plan.source())
            .append(" is now the InnoDB emulated queue and producers write to it; the original is ")
            .append(plan.old())
            .append(" — but it failed ")
            .append(where)
            .append(": ")
            .append(why)
            .append('.');
    boolean catchUpDone = step != null && step.action() == ConversionPlan.Action.DROP_OLD;
    if (catchUpDone) {
      m.append(" Every row of the original is in the new table; drop it by hand: DROP TABLE ")
          .append(plan.old().quoted())
          .append(';');
    } else {
      m.append(
              " Rows that reached the original after the final copy (normally none) may be"
                  + " missing from the new table. Keep consumers stopped and run: ")
          .append(catchUpSql())
          .append("; then compare SELECT COUNT(*) of both tables before dropping ")
          .append(plan.old())
          .append('.');
    }
    return m.toString();
  }

  private String unknownMessage(String where, String why, String stateProblem) {
    return "Conversion of "
        + plan.source()
        + " failed "
        + where
        + ": "
        + why
        + ", and the state of the tables could not be read ("
        + stateProblem
        + "). Check SHOW CREATE TABLE "
        + plan.source().quoted()
        + ": if it has the column "
        + plan.options().rowIdColumn()
        + ", the swap happened and the original is "
        + plan.old()
        + " — keep consumers stopped and copy its remaining rows: "
        + catchUpSql()
        + "; otherwise nothing was swapped and "
        + plan.source()
        + " is unchanged — drop "
        + plan.target()
        + " and the placeholder "
        + plan.old()
        + " (one column "
        + PlanBuilder.PLACEHOLDER_COLUMN
        + ").";
  }

  /** The catch-up to run by hand after the swap, with the position known to this run. */
  String catchUpSql() {
    StringJoiner cols = new StringJoiner(", ");
    plan.copiedColumns().forEach(c -> cols.add(Identifiers.quote(c)));
    if (plan.copyOrder() == CopyOrder.SCAN) {
      return "INSERT INTO "
          + plan.source().quoted()
          + " ("
          + cols
          + ") SELECT "
          + cols
          + " FROM "
          + plan.old().quoted()
          + " LIMIT "
          + total
          + ", "
          + PlanBuilder.ALL_ROWS;
    }
    // Keyed: the key is unique on the new table too, so copy the original's rows it lacks.
    StringJoiner oCols = new StringJoiner(", ");
    plan.copiedColumns().forEach(c -> oCols.add("o." + Identifiers.quote(c)));
    StringJoiner match = new StringJoiner(" AND ");
    StringJoiner order = new StringJoiner(", ");
    for (String k : plan.orderKey()) {
      match.add("n." + Identifiers.quote(k) + " = o." + Identifiers.quote(k));
      order.add("o." + Identifiers.quote(k));
    }
    return "INSERT INTO "
        + plan.source().quoted()
        + " ("
        + cols
        + ") SELECT "
        + oCols
        + " FROM "
        + plan.old().quoted()
        + " o WHERE NOT EXISTS (SELECT 1 FROM "
        + plan.source().quoted()
        + " n WHERE "
        + match
        + ") ORDER BY "
        + order;
  }

  private void dropIfPresent(
      Connection c, TableRef t, boolean placeholder, List<String> dropped, List<String> left) {
    try {
      if (!exists(c, t)) {
        return;
      }
      if (placeholder && !TableConverter.isPlaceholder(c, t)) {
        // Never drop a table that is not ours.
        return;
      }
      exec(c, "DROP TABLE " + t.quoted());
      dropped.add(t + (placeholder ? " (placeholder)" : ""));
    } catch (SQLException e) {
      left.add("DROP TABLE " + t.quoted() + "; (" + describe(e) + ")");
    }
  }

  private String grantHintIfPrivilege(SQLException e) {
    if (!SqlErrors.privilege(e)) {
      return "";
    }
    return ". The conversion needs: " + TableConverter.fullGrant(usableConnection(), plan.source());
  }

  // ---------------------------------------------------------------------------------------------
  // JDBC helpers

  private Connection open() throws SQLException {
    Connection c = connections.open();
    c.setAutoCommit(true);
    return c;
  }

  /** Executes the step's statements; returns the first row of the last result set, if any. */
  private static List<Object> execAll(Connection c, Step step) throws SQLException {
    List<Object> row = List.of();
    try (Statement st = c.createStatement()) {
      for (String sql : step.statements()) {
        if (st.execute(sql)) {
          try (ResultSet rs = st.getResultSet()) {
            List<Object> values = new ArrayList<>();
            if (rs.next()) {
              for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getObject(i));
              }
            }
            row = values;
          }
        }
      }
    }
    return row;
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static long update(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      return st.executeLargeUpdate(sql);
    }
  }

  private static long longQuery(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static boolean exists(Connection c, TableRef t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean hasRowId(Connection c, TableRef t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      ps.setString(3, plan.options().rowIdColumn());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The main session if it still works, else a fresh one (kept as main), else null. */
  private Connection usableConnection() {
    if (alive(main)) {
      return main;
    }
    closeQuietly(main);
    try {
      main = open();
      return main;
    } catch (SQLException e) {
      main = null;
      return null;
    }
  }

  private static boolean alive(Connection c) {
    try {
      return c != null && !c.isClosed() && c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private void closeAll() {
    if (swapThread != null) {
      swapThread.shutdownNow();
    }
    closeQuietly(swap);
    closeQuietly(main);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing is best effort; the server releases the session's locks on disconnect.
    }
  }

  private static String describe(SQLException e) {
    return "server error " + e.getErrorCode() + "/" + e.getSQLState() + ": " + messageOf(e);
  }

  private static String messageOf(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** A check or a wait of the cut-over failed; the message says why and what to do. */
  private static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final Kind kind;

    CheckFailed(String message) {
      this(message, Kind.INVALID);
    }

    CheckFailed(String message, Kind kind) {
      super(message);
      this.kind = kind;
    }
  }
}
