package org.q4mbridge.q4m.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionPlan.Action;
import org.q4mbridge.q4m.convert.ConversionPlan.CopyOrder;
import org.q4mbridge.q4m.convert.ConversionPlan.Session;
import org.q4mbridge.q4m.convert.ConversionPlan.Step;

/**
 * Builds the statements of a {@link ConversionPlan} from a {@link SourceTable}. Pure: no server
 * access. Every identifier goes through {@link Identifiers#quote}; the only other text spliced into
 * SQL is the source's own column and key definitions as the server printed them.
 */
final class PlanBuilder {
  /** LIMIT's "no limit": the largest BIGINT UNSIGNED, as the MariaDB manual suggests. */
  static final String ALL_ROWS = "18446744073709551615";

  static final String PLACEHOLDER_COLUMN = "q4m_sentry";

  private final SourceTable src;
  private final TableRef target;
  private final TableRef old;
  private final TableConverter.Options options;
  private final List<String> columns;
  private final List<String> key;
  private final String columnList;
  private final String rowId;
  private final List<Step> steps = new ArrayList<>();

  private PlanBuilder(
      SourceTable src, TableRef target, TableRef old, TableConverter.Options options) {
    this.src = src;
    this.target = target;
    this.old = old;
    this.options = options;
    this.columns = src.copiedColumns();
    this.key = src.orderKey();
    this.columnList = quoteAll(columns);
    this.rowId = Identifiers.quote(options.rowIdColumn());
  }

  /**
   * The plan for {@code src}.
   *
   * @throws ConversionException INVALID when {@code batchRows} is set for a table without a key
   */
  static ConversionPlan build(
      SourceTable src,
      TableRef target,
      TableRef old,
      long rows,
      TableConverter.Options options,
      List<String> extraNotes)
      throws ConversionException {
    PlanBuilder b = new PlanBuilder(src, target, old, options);
    if (options.batchRows() > 0 && b.key.isEmpty()) {
      throw SourceTable.invalid(
          src.ref(),
          "batchRows needs a key to copy in batches, and this table has none"
              + (src.isQueueEngine() ? " (QUEUE tables never have one)" : "")
              + ": leave batchRows at 0 to copy in one INSERT ... SELECT",
          null);
    }
    List<String> notes = new ArrayList<>(extraNotes);
    if (!b.key.isEmpty()) {
      notes.add(
          "Rows are copied in the order of the key ("
              + String.join(", ", b.key)
              + ")"
              + (src.primaryKey().isEmpty()
                  ? ", which InnoDB clusters this table by,"
                  : ", the primary key,")
              + " and kept unique on the new table. Rows that producers insert with a key below the"
              + " last copied one make the row count check fail (nothing is swapped): stop"
              + " producers while converting a table whose keys do not only grow.");
    }
    if ("MyISAM".equalsIgnoreCase(src.engine()) || "Aria".equalsIgnoreCase(src.engine())) {
      notes.add(
          "A "
              + src.engine()
              + " table with deleted rows reuses their space for new rows, so its scan order is"
              + " not insertion order; the checks then stop the conversion before the swap. Run"
              + " OPTIMIZE TABLE first, or stop producers.");
    }
    b.buildSteps();
    return new ConversionPlan(
        src.ref(),
        target,
        old,
        src.engine(),
        src.createStatement(),
        b.key.isEmpty() ? CopyOrder.SCAN : CopyOrder.KEY,
        b.key,
        b.columns,
        rows,
        options,
        notes,
        b.steps);
  }

  private void buildSteps() {
    boolean keyed = !key.isEmpty();
    List<String> session = new ArrayList<>();
    session.add("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    session.add("SET SESSION lock_wait_timeout = " + options.lockWaitTimeout().toSeconds());
    StringJoiner vars = new StringJoiner(", ", "SET ", "");
    vars.add("@q4m_copied = 0").add("@q4m_total = 0").add("@q4m_caught_up = 0");
    for (int i = 0; i < key.size(); i++) {
      vars.add(keyVar(i) + " = NULL");
    }
    session.add(vars.toString());
    add(
        Action.SESSION,
        Session.MAIN,
        "READ COMMITTED: copying an InnoDB source takes no row locks that would block producers;"
            + " bounded lock waits (producers queue behind a waiting LOCK TABLES).",
        session);

    add(
        Action.CREATE_TARGET,
        Session.MAIN,
        "The InnoDB twin: the source's column definitions verbatim, plus the invisible row id as"
            + " primary key.",
        List.of(createTarget()));

    add(
        Action.CREATE_PLACEHOLDER,
        Session.MAIN,
        "Placeholder holding the old name: the RENAME cannot succeed until step "
            + "DROP_PLACEHOLDER removes it, so if this session dies early nothing is swapped.",
        List.of(
            "CREATE TABLE "
                + old.quoted()
                + " ("
                + Identifiers.quote(PLACEHOLDER_COLUMN)
                + " TINYINT) ENGINE=InnoDB COMMENT='q4m-bridge convert placeholder, safe to drop"
                + " when no conversion of "
                + src.ref().table()
                + " runs'"));

    if (keyed) {
      add(
          Action.COPY,
          Session.MAIN,
          "Bulk copy in key order while producers insert"
              + (options.batchRows() > 0
                  ? "; run() repeats it with LIMIT " + options.batchRows() + " until no row is left"
                  : "")
              + "; then remember the last copied key.",
          List.of(copyAfterWatermark(src.ref(), target), watermark()));
    } else {
      add(
          Action.COPY,
          Session.MAIN,
          "Bulk copy in FIFO order (a plain SELECT returns rows in insertion order) while"
              + " producers insert.",
          List.of("INSERT INTO " + target.quoted() + " (" + columnList + ") " + selectFrom(src)));
    }

    add(
        Action.MARK,
        Session.MAIN,
        "How many rows the bulk copy took: the final copy continues from there.",
        List.of("SELECT COUNT(*) INTO @q4m_copied FROM " + target.quoted()));

    add(
        Action.LOCK,
        Session.MAIN,
        "Stop writes for the cut-over: producers now wait (they do not fail) until step UNLOCK.",
        List.of(
            "LOCK TABLES "
                + src.ref().quoted()
                + " WRITE, "
                + target.quoted()
                + " WRITE, "
                + old.quoted()
                + " WRITE"));

    if (keyed) {
      add(
          Action.COPY_FINAL,
          Session.MAIN,
          "Copy the rows inserted since the bulk copy (keys above the last copied one).",
          List.of(
              copyAfterWatermark(src.ref(), target),
              "SET @q4m_total = @q4m_copied + ROW_COUNT()",
              watermark()));
    } else {
      add(
          Action.COPY_FINAL,
          Session.MAIN,
          "Copy the rows inserted since the bulk copy: the source only grew at its end, so they"
              + " follow the first @q4m_copied rows.",
          List.of(
              "PREPARE q4m_final FROM 'INSERT INTO "
                  + target.quoted()
                  + " ("
                  + columnList
                  + ") "
                  + selectFrom(src)
                  + " LIMIT ?, "
                  + ALL_ROWS
                  + "'",
              "EXECUTE q4m_final USING @q4m_copied",
              "SET @q4m_total = @q4m_copied + ROW_COUNT()",
              "DEALLOCATE PREPARE q4m_final"));
    }

    add(
        Action.CHECK_COUNT,
        Session.MAIN,
        "Check: source_rows must equal copied_rows, else UNLOCK TABLES and stop (rows were"
            + " consumed, deleted, owned or inserted out of order).",
        List.of(
            "SELECT COUNT(*) AS source_rows, @q4m_total AS copied_rows FROM "
                + src.ref().quoted()));

    add(
        Action.CHECK_CONTENT,
        Session.MAIN,
        "Check: both checksums (a sum of per-row hashes of every copied column) must be equal,"
            + " else UNLOCK TABLES and stop (rows were replaced or changed during the copy).",
        List.of(
            "SELECT (SELECT SUM("
                + rowHash(columns)
                + ") FROM "
                + src.ref().quoted()
                + ") AS source_checksum, (SELECT SUM("
                + rowHash(columns)
                + ") FROM "
                + target.quoted()
                + ") AS copied_checksum"));

    if (!keyed) {
      add(
          Action.CHECK_ORDER,
          Session.MAIN,
          "Check: the last row of the bulk copy is still at the same position in the source"
              + " (same_row must be 1, else UNLOCK TABLES and stop: rows shifted under the copy).",
          List.of(
              "PREPARE q4m_check FROM 'SELECT ("
                  + selectBinary(columns)
                  + " FROM "
                  + src.ref().quoted()
                  + " LIMIT ?, 1) <=> ("
                  + selectBinary(columns)
                  + " FROM "
                  + target.quoted()
                  + " ORDER BY "
                  + rowId
                  + " LIMIT ?, 1) AS same_row'",
              "SET @q4m_at = GREATEST(@q4m_copied - 1, 0)",
              "EXECUTE q4m_check USING @q4m_at, @q4m_at",
              "DEALLOCATE PREPARE q4m_check"));
    }

    add(
        Action.SWAP,
        Session.SWAP,
        "The swap, one statement: it waits for session A's lock and, as a pending exclusive lock"
            + " on "
            + src.ref().table()
            + ", runs before the inserts queued there.",
        List.of(
            "RENAME TABLE "
                + src.ref().quoted()
                + " TO "
                + old.quoted()
                + ", "
                + target.quoted()
                + " TO "
                + src.ref().quoted()));

    add(
        Action.DROP_PLACEHOLDER,
        Session.MAIN,
        "Free the old name so the waiting RENAME can succeed (only once it is waiting).",
        List.of("DROP TABLE " + old.quoted()));

    add(
        Action.UNLOCK,
        Session.MAIN,
        "Release the lock: the RENAME runs first, then the queued inserts, into the new table.",
        List.of("UNLOCK TABLES"));

    if (keyed) {
      add(
          Action.CATCH_UP,
          Session.MAIN,
          "Safety net, normally 0 rows: copy rows that reached the original after the final copy.",
          List.of(copyAfterWatermark(old, src.ref()), "SET @q4m_caught_up = ROW_COUNT()"));
    } else {
      add(
          Action.CATCH_UP,
          Session.MAIN,
          "Safety net, normally 0 rows: copy rows that reached the original after the final copy.",
          List.of(
              "PREPARE q4m_catch_up FROM 'INSERT INTO "
                  + src.ref().quoted()
                  + " ("
                  + columnList
                  + ") SELECT "
                  + columnList
                  + " FROM "
                  + old.quoted()
                  + " LIMIT ?, "
                  + ALL_ROWS
                  + "'",
              "EXECUTE q4m_catch_up USING @q4m_total",
              "SET @q4m_caught_up = ROW_COUNT()",
              "DEALLOCATE PREPARE q4m_catch_up"));
    }

    if (!options.keepOld()) {
      add(
          Action.DROP_OLD,
          Session.MAIN,
          "keepOld = false: drop the original; every row of it is in the new table.",
          List.of("DROP TABLE " + old.quoted()));
    }
    resolveStepReferences();
  }

  private String createTarget() {
    StringJoiner body = new StringJoiner(",\n  ", "(\n  ", "\n)");
    for (SourceTable.Column c : src.columns()) {
      body.add(Identifiers.quote(c.name()) + " " + c.definition());
    }
    body.add(rowId + " BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE");
    body.add("PRIMARY KEY (" + rowId + ")");
    src.otherDefinitions().forEach(body::add);
    StringBuilder sql =
        new StringBuilder("CREATE TABLE ")
            .append(target.quoted())
            .append(' ')
            .append(body)
            .append(" ENGINE=InnoDB");
    if (src.charset() != null) {
      sql.append(" DEFAULT CHARSET=").append(src.charset());
    }
    if (src.collation() != null) {
      sql.append(" COLLATE=").append(src.collation());
    }
    if (src.comment() != null && !src.comment().isEmpty() && src.comment().indexOf('\\') < 0) {
      sql.append(" COMMENT='").append(src.comment().replace("'", "''")).append('\'');
    }
    return sql.toString();
  }

  /** {@code SELECT <columns> FROM <source>}, no order: the scan order is the FIFO order. */
  private String selectFrom(SourceTable s) {
    return "SELECT " + columnList + " FROM " + s.ref().quoted();
  }

  /** INSERT of the rows of {@code from} whose key is above the watermark, in key order. */
  private String copyAfterWatermark(TableRef from, TableRef to) {
    return "INSERT INTO "
        + to.quoted()
        + " ("
        + columnList
        + ") SELECT "
        + columnList
        + " FROM "
        + from.quoted()
        + " WHERE "
        + afterWatermark()
        + " ORDER BY "
        + quoteAll(key);
  }

  /**
   * {@code (@k1 IS NULL OR a > @k1 OR (a = @k1 AND b > @k2))}: rows after the last copied key, in a
   * form the range optimizer can use (a row comparison {@code (a, b) > (...)} may not be).
   */
  String afterWatermark() {
    String cond = null;
    for (int i = key.size() - 1; i >= 0; i--) {
      String col = Identifiers.quote(key.get(i));
      String greater = col + " > " + keyVar(i);
      cond =
          cond == null
              ? greater
              : greater + " OR (" + col + " = " + keyVar(i) + " AND (" + cond + "))";
    }
    return "(" + keyVar(0) + " IS NULL OR " + cond + ")";
  }

  /**
   * Stores the last copied key (by row id) in the key variables; leaves them as they are if none.
   */
  private String watermark() {
    StringJoiner vars = new StringJoiner(", ");
    for (int i = 0; i < key.size(); i++) {
      vars.add(keyVar(i));
    }
    return "SELECT "
        + quoteAll(key)
        + " INTO "
        + vars
        + " FROM "
        + target.quoted()
        + " ORDER BY "
        + rowId
        + " DESC LIMIT 1";
  }

  /**
   * A 32-bit hash of a row's copied columns: the CRC32 of the per-column CRC32s of their bytes, N
   * for NULL. Summed over a table it compares two tables as multisets of rows: a row missing on one
   * side and another duplicated changes the sum unless the two hash alike (about 1 in 2^32).
   * Hashing each column first avoids building a string as long as the row, which CONCAT would turn
   * into NULL beyond max_allowed_packet.
   */
  static String rowHash(List<String> cols) {
    StringJoiner s = new StringJoiner(", ", "CRC32(CONCAT_WS(',', ", "))");
    for (String c : cols) {
      s.add("IFNULL(CRC32(CAST(" + Identifiers.quote(c) + " AS BINARY)), 'N')");
    }
    return s.toString();
  }

  /**
   * Column values as bytes, so the order check is not fooled by case- or pad-insensitive equality.
   */
  private static String selectBinary(List<String> cols) {
    StringJoiner s = new StringJoiner(", ", "SELECT ", "");
    for (String c : cols) {
      s.add("CAST(" + Identifiers.quote(c) + " AS BINARY)");
    }
    return s.toString();
  }

  private static String keyVar(int i) {
    return "@q4m_k" + (i + 1);
  }

  private static String quoteAll(List<String> names) {
    StringJoiner j = new StringJoiner(", ");
    names.forEach(n -> j.add(Identifiers.quote(n)));
    return j.toString();
  }

  private void add(Action action, Session session, String comment, List<String> statements) {
    steps.add(new Step(steps.size() + 1, action, session, comment, statements));
  }

  /** Comments mention steps by action name while they are built; replace them with numbers. */
  private void resolveStepReferences() {
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      String comment = s.comment();
      for (Step other : steps) {
        comment = comment.replace("step " + other.action().name(), "step " + other.number());
      }
      steps.set(i, new Step(s.number(), s.action(), s.session(), comment, s.statements()));
    }
  }
}
