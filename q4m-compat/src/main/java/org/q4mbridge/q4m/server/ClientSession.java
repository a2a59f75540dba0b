package org.q4mbridge.q4m.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the endpoint, served by its own thread from the handshake to the close:
 * authenticates the client, opens its backend (a shim connection) and runs its commands.
 *
 * <p>Threading: {@link #run()} runs on the connection's thread and owns everything here. {@link
 * #terminate()} and {@link #cancelStatement()} may be called from other threads (server stop,
 * {@code KILL} from another connection). When the connection ends for any reason, the backend is
 * closed, which returns an owned row to its queue.
 */
final class ClientSession implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  private final Q4mServer server;
  private final EndpointOptions options;
  private final EndpointStats stats;
  private final Socket socket;
  private final long id;
  private final String host;
  private final byte[] scramble = NativePassword.newScramble();

  private PacketChannel channel;
  private int clientCaps;
  private boolean deprecateEof;
  private boolean multiStatements;
  private volatile String user;
  private String database;
  private int clientCollation = Protocol.COLLATION_UTF8MB4_GENERAL_CI;
  private String clientCharset = "utf8mb4";
  private String resultsCharset = "utf8mb4";
  private volatile Backend backend;
  private volatile Statement running;
  private volatile boolean terminated;
  private final Map<Integer, ServerStatement> statements = new HashMap<>();
  private int nextStatementId = 1;

  ClientSession(Q4mServer server, Socket socket, long id) {
    this.server = server;
    this.options = server.options();
    this.stats = server.stats();
    this.socket = socket;
    this.id = id;
    this.host =
        socket.getRemoteSocketAddress() instanceof InetSocketAddress a
            ? a.getAddress().getHostAddress()
            : "unknown";
  }

  long id() {
    return id;
  }

  /** The endpoint user, once authenticated. */
  String user() {
    return user;
  }

  @Override
  public void run() {
    boolean served = false;
    try {
      socket.setTcpNoDelay(true);
      channel = new PacketChannel(socket, options.maxPacketSize(), options.netReadTimeout());
      if (!handshake()) {
        return;
      }
      served = true;
      safely(stats::connectionOpened);
      commandLoop();
    } catch (PacketChannel.IdleTimeoutException e) {
      LOG.debug("connection {} idle for {}: closed", id, options.idleTimeout());
    } catch (EOFException | SocketException e) {
      LOG.debug("connection {} closed by the client: {}", id, e.getMessage());
    } catch (IOException e) {
      LOG.debug("connection {}: {}", id, e.toString());
    } catch (RuntimeException e) {
      LOG.warn("connection {} failed", id, e);
    } finally {
      server.closeStarted();
      try {
        closeEverything();
      } finally {
        server.closeFinished();
      }
      server.remove(this);
      if (served) {
        safely(stats::connectionClosed);
      }
    }
  }

  /** Closes the socket and the backend at once (server stop, KILL); from any thread. */
  void terminate() {
    terminated = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    Backend b = backend;
    if (b != null) {
      b.abort();
    }
  }

  /** Ends the statement in progress ({@code KILL QUERY}); from any thread. */
  void cancelStatement() {
    Statement s = running;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("connection {}: cancel failed: {}", id, e.toString());
      }
    }
  }

  private void closeEverything() {
    // The backend first: that gives an owned row back, which other clients may be waiting for.
    Backend b = backend;
    backend = null;
    if (b != null) {
      b.close();
    }
    for (ServerStatement s : statements.values()) {
      closeQuietly(s.statement);
    }
    statements.clear();
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("endpoint stats callback failed", e);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Handshake

  /**
   * Greets the client, authenticates it and opens its backend.
   *
   * @return false when the connection was refused (the client got an error packet or left)
   */
  private boolean handshake() throws IOException {
    long timeout = options.connectTimeout().toMillis();
    PayloadWriter w = new PayloadWriter(128);
    int caps = Protocol.SERVER_CAPABILITIES;
    w.u8(10)
        .nulString(server.serverVersion())
        .u32(id & 0xFFFFFFFFL)
        .bytes(scramble, 0, 8)
        .u8(0)
        .u16(caps & 0xFFFF)
        .u8(Protocol.COLLATION_UTF8MB4_GENERAL_CI)
        .u16(Protocol.SERVER_STATUS_AUTOCOMMIT)
        .u16(caps >>> 16)
        .u8(NativePassword.SCRAMBLE_LENGTH + 1)
        .zeros(10)
        .bytes(scramble, 8, 12)
        .u8(0)
        .nulString(Protocol.NATIVE_PASSWORD);
    channel.write(w);
    channel.flush();
    try {
      byte[] response = channel.read(timeout);
      if (response == null) {
        safely(() -> stats.connectionRejected("handshake"));
        return false;
      }
      Login login = parseLogin(response);
      clientCaps = login.caps() & Protocol.SERVER_CAPABILITIES;
      deprecateEof = (clientCaps & Protocol.CLIENT_DEPRECATE_EOF) != 0;
      multiStatements = (clientCaps & Protocol.CLIENT_MULTI_STATEMENTS) != 0;
      byte[] token = login.token();
      if ((clientCaps & Protocol.CLIENT_PLUGIN_AUTH) != 0
          && !Protocol.NATIVE_PASSWORD.equals(login.plugin())) {
        token = switchToNativePassword(timeout);
      }
      if (!server.authenticate(login.user(), scramble, token)) {
        safely(() -> stats.connectionRejected("access_denied"));
        sendError(accessDenied(login.user(), token));
        return false;
      }
      user = login.user();
      database = login.database();
      clientCollation = login.collation();
      clientCharset = Charsets.clientCharset(clientCollation);
      resultsCharset = clientCharset;
      try {
        backend = openBackend();
      } catch (SQLException e) {
        safely(() -> stats.connectionRejected("backend"));
        sendError(backendError(e));
        return false;
      }
      if (terminated) {
        return false;
      }
      sendOk(0, 0, backend.statusFlags(), 0);
      channel.flush();
      return true;
    } catch (PacketChannel.IdleTimeoutException e) {
      safely(() -> stats.connectionRejected("handshake"));
      return false;
    } catch (ProtocolException e) {
      safely(() -> stats.connectionRejected("handshake"));
      sendError(e);
      return false;
    }
  }

  private ProtocolException accessDenied(String name, byte[] token) {
    return new ProtocolException(
        Protocol.ER_ACCESS_DENIED_ERROR,
        "28000",
        "Access denied for user '"
            + name
            + "'@'"
            + host
            + "' (using password: "
            + (token.length > 0 ? "YES" : "NO")
            + ")",
        true);
  }

  private record Login(
      int caps, int collation, String user, byte[] token, String database, String plugin) {}

  private Login parseLogin(byte[] payload) throws ProtocolException {
    try {
      PayloadReader r = new PayloadReader(payload);
      int caps = (int) r.u32("capability flags");
      if ((caps & Protocol.CLIENT_PROTOCOL_41) == 0) {
        throw handshakeError("this endpoint speaks protocol 4.1 only");
      }
      if ((caps & Protocol.CLIENT_SSL) != 0 && payload.length == 32) {
        throw handshakeError("SSL is not offered by this endpoint: connect without SSL");
      }
      r.u32("max packet size");
      int collation = r.u8("character set");
      r.skip(23, "filler");
      String name = r.nulString("user name");
      byte[] token;
      if ((caps & Protocol.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
        token = r.lenencBytes("auth response");
      } else if ((caps & Protocol.CLIENT_SECURE_CONNECTION) != 0) {
        token = r.bytes(r.u8("auth response length"), "auth response");
      } else {
        throw handshakeError("the pre-4.1 password scheme is not supported");
      }
      String db = null;
      if ((caps & Protocol.CLIENT_CONNECT_WITH_DB) != 0 && r.hasRemaining()) {
        db = new String(r.nulOrRestBytes(), StandardCharsets.ISO_8859_1);
      }
      String plugin = null;
      if ((caps & Protocol.CLIENT_PLUGIN_AUTH) != 0 && r.hasRemaining()) {
        plugin = new String(r.nulOrRestBytes(), StandardCharsets.UTF_8);
      }
      return new Login(caps, collation, name, token == null ? new byte[0] : token, db, plugin);
    } catch (ProtocolException e) {
      if (e.code() == Protocol.ER_MALFORMED_PACKET) {
        throw handshakeError("Bad handshake: " + e.getMessage());
      }
      throw e;
    }
  }

  private static ProtocolException handshakeError(String message) {
    return new ProtocolException(Protocol.ER_HANDSHAKE_ERROR, "08S01", message, true);
  }

  /** AuthSwitchRequest to mysql_native_password (for caching_sha2_password clients and others). */
  private byte[] switchToNativePassword(long timeout) throws IOException, ProtocolException {
    PayloadWriter w = new PayloadWriter(48);
    w.u8(0xFE).nulString(Protocol.NATIVE_PASSWORD).bytes(scramble).u8(0);
    channel.write(w);
    channel.flush();
    byte[] token = channel.read(timeout);
    if (token == null) {
      throw new EOFException("client left during the authentication switch");
    }
    return token;
  }

  private Backend openBackend() throws SQLException {
    return Backend.open(
        options,
        database,
        clientCharset,
        (clientCaps & Protocol.CLIENT_FOUND_ROWS) != 0,
        (clientCaps & Protocol.CLIENT_INTERACTIVE) != 0);
  }

  private ProtocolException backendError(SQLException e) {
    int code = e.getErrorCode() > 0 ? e.getErrorCode() : Protocol.ER_UNKNOWN_ERROR;
    return new ProtocolException(
        code, sqlState(e), "q4m endpoint: backend connection failed: " + e.getMessage(), true);
  }

  // -----------------------------------------------------------------------------------------------
  // Commands

  private void commandLoop() throws IOException {
    long idle = options.idleTimeout().toMillis();
    while (!terminated) {
      channel.resetSequence();
      byte[] payload;
      try {
        payload = channel.read(idle);
      } catch (ProtocolException e) {
        sendError(e.code(), e.sqlState(), e.getMessage());
        channel.flush();
        return;
      }
      if (payload == null) {
        return;
      }
      boolean goOn;
      try {
        goOn = dispatch(payload);
      } catch (ProtocolException e) {
        sendError(e.code(), e.sqlState(), e.getMessage());
        goOn = !e.fatal();
      }
      channel.flush();
      if (!goOn) {
        return;
      }
    }
  }

  /**
   * Runs one command.
   *
   * @return false when the connection ends after it
   */
  private boolean dispatch(byte[] payload) throws IOException, ProtocolException {
    if (payload.length == 0) {
      throw ProtocolException.malformed("empty command packet");
    }
    int command = payload[0] & 0xFF;
    PayloadReader r = new PayloadReader(payload);
    r.skip(1, "command");
    switch (command) {
      case Protocol.COM_QUIT:
        return false;
      case Protocol.COM_PING:
        sendOk(0, 0, status(), 0);
        return true;
      case Protocol.COM_QUERY:
        query(new String(payload, 1, payload.length - 1, StandardCharsets.ISO_8859_1));
        return true;
      case Protocol.COM_INIT_DB:
        initDb(new String(r.rest(), StandardCharsets.ISO_8859_1));
        return true;
      case Protocol.COM_FIELD_LIST:
        fieldList(r);
        return true;
      case Protocol.COM_STATISTICS:
        byte[] text = server.statistics().getBytes(StandardCharsets.UTF_8);
        channel.write(text, 0, text.length);
        return true;
      case Protocol.COM_PROCESS_KILL:
        kill(new SqlText.Kill(false, r.u32("connection id")));
        return !terminated;
      case Protocol.COM_DEBUG:
        sendEndOfRows(status());
        return true;
      case Protocol.COM_SET_OPTION:
        setOption(r.u16("option"));
        return true;
      case Protocol.COM_CHANGE_USER:
        return changeUser(r);
      case Protocol.COM_RESET_CONNECTION:
        resetConnection();
        return true;
      case Protocol.COM_STMT_PREPARE:
        prepare(new String(payload, 1, payload.length - 1, StandardCharsets.ISO_8859_1));
        return true;
      case Protocol.COM_STMT_EXECUTE:
        execute(r);
        return true;
      case Protocol.COM_STMT_SEND_LONG_DATA:
        sendLongData(r);
        return true;
      case Protocol.COM_STMT_CLOSE:
        ServerStatement closed = statements.remove((int) r.u32("statement id"));
        if (closed != null) {
          closeQuietly(closed.statement);
        }
        return true;
      case Protocol.COM_STMT_RESET:
        ServerStatement reset = statement(r);
        reset.clearLongData();
        sendOk(0, 0, status(), 0);
        return true;
      case Protocol.COM_STMT_FETCH:
        long sid = r.u32("statement id");
        throw new ProtocolException(
            Protocol.ER_STMT_HAS_NO_OPEN_CURSOR,
            "HY000",
            "The statement (" + sid + ") has no open cursor.",
            false);
      default:
        throw new ProtocolException(
            Protocol.ER_UNKNOWN_COM_ERROR,
            "08S01",
            "Unknown command 0x" + Integer.toHexString(command),
            false);
    }
  }

  private int status() {
    Backend b = backend;
    return b == null ? Protocol.SERVER_STATUS_AUTOCOMMIT : b.statusFlags();
  }

  // COM_QUERY
  // --------------------------------------------------------------------------------------

  private void query(String sql) throws IOException {
    List<String> parts = multiStatements ? SqlText.split(sql) : List.of(sql);
    for (int i = 0; i < parts.size(); i++) {
      if (!runText(parts.get(i), i < parts.size() - 1)) {
        return;
      }
    }
  }

  /**
   * Runs one text statement and sends its results.
   *
   * @param moreFollow more statements of the same COM_QUERY follow
   * @return false when it failed (which ends a multi-statement batch)
   */
  private boolean runText(String sql, boolean moreFollow) throws IOException {
    LOG.trace("connection {} runs: {}", id, sql);
    countStatement(sql);
    SqlText.Kill kill = SqlText.kill(sql);
    if (kill != null) {
      return kill(kill);
    }
    Statement st = backend.statement();
    try {
      running = st;
      if (runThroughJdbc(sql)) {
        sendOk(0, 0, status(moreFollow), backend.warningCount());
        return true;
      }
      boolean isResultSet = st.execute(sql);
      if (SqlText.mayChangeCharset(sql)) {
        resultsCharset = backend.resultsCharset();
      }
      sendResults(st, isResultSet, false, moreFollow);
      return true;
    } catch (SQLException e) {
      sendError(e);
      return false;
    } finally {
      running = null;
    }
  }

  /**
   * Runs {@code SET autocommit} and, in a transaction the driver knows of, {@code COMMIT} and
   * {@code ROLLBACK} through the JDBC methods, so the backend driver and the shim (which wakes
   * local waiters on commit) follow the transaction state.
   *
   * @return false when the statement is not one of them (it passes through as text)
   */
  private boolean runThroughJdbc(String sql) throws SQLException {
    Boolean autocommit = SqlText.setAutocommit(sql);
    if (autocommit != null) {
      backend.connection().setAutoCommit(autocommit);
      return true;
    }
    String end = SqlText.transactionEnd(sql);
    if (end == null || backend.connection().getAutoCommit()) {
      // START TRANSACTION under auto-commit: the driver would refuse; the text does it.
      return false;
    }
    if (end.equals("commit")) {
      backend.connection().commit();
    } else {
      backend.connection().rollback();
    }
    return true;
  }

  private void countStatement(String sql) {
    server.awaitCloses();
    server.countQuestion();
    safely(stats::statementExecuted);
    for (String f : SqlText.queueFunctions(sql)) {
      safely(() -> stats.queueFunctionCalled(f));
    }
  }

  private int status(boolean more) {
    return status() | (more ? Protocol.SERVER_MORE_RESULTS_EXISTS : 0);
  }

  /** Sends every result of an executed statement, in order. */
  private void sendResults(Statement st, boolean isResultSet, boolean binary, boolean moreFollow)
      throws SQLException, IOException {
    boolean rs = isResultSet;
    while (true) {
      boolean more;
      if (rs) {
        try (ResultSet results = st.getResultSet()) {
          sendResultSet(results, binary);
        }
        more = advance(st);
        sendEndOfRows(status(more || moreFollow));
      } else {
        long count = Math.max(0, st.getLargeUpdateCount());
        // Prepared statements run on the shim's prepared statement, whose Connector/J statement
        // is reachable only through getGeneratedKeys.
        long insertId = binary ? Backend.generatedKey(st) : Backend.lastInsertId(st);
        int warnings = backend.warningCount();
        more = advance(st);
        sendOk(count, insertId, status(more || moreFollow), warnings);
      }
      if (!more) {
        return;
      }
      rs = st.getResultSet() != null;
    }
  }

  /** Moves to the next result; true when there is one (a result set or an update count). */
  private static boolean advance(Statement st) throws SQLException {
    boolean rs = st.getMoreResults();
    return rs || st.getLargeUpdateCount() != -1;
  }

  private void sendResultSet(ResultSet rs, boolean binary) throws SQLException, IOException {
    ResultColumns cols = ResultColumns.of(rs, resultsCharset, clientCollation);
    PayloadWriter w = new PayloadWriter(256);
    w.lenenc(cols.size());
    channel.write(w);
    for (int i = 0; i < cols.size(); i++) {
      w.reset();
      cols.writeDefinition(w, i, false);
      channel.write(w);
    }
    if (!deprecateEof) {
      sendEof(status());
    }
    while (rs.next()) {
      w.reset();
      if (binary) {
        cols.writeBinaryRow(rs, w);
      } else {
        cols.writeTextRow(rs, w);
      }
      channel.write(w);
    }
  }

  /** The end of a result set: EOF, or with CLIENT_DEPRECATE_EOF an OK packet headed 0xFE. */
  private void sendEndOfRows(int status) throws IOException {
    if (deprecateEof) {
      PayloadWriter w = new PayloadWriter(16);
      w.u8(0xFE).lenenc(0).lenenc(0).u16(status).u16(backend.warningCount());
      channel.write(w);
    } else {
      sendEof(status);
    }
  }

  // COM_INIT_DB, COM_FIELD_LIST, COM_SET_OPTION, KILL ------------------------------------------

  private void initDb(String db) throws IOException {
    try {
      backend.setDatabase(db);
      database = db;
      sendOk(0, 0, status(), 0);
    } catch (SQLException e) {
      sendError(e);
    }
  }

  private void fieldList(PayloadReader r) throws IOException, ProtocolException {
    String table = new String(r.nulOrRestBytes(), StandardCharsets.ISO_8859_1);
    if (table.isEmpty()) {
      throw ProtocolException.malformed("COM_FIELD_LIST without a table");
    }
    try (Statement s = backend.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM `" + table.replace("`", "``") + "` LIMIT 0")) {
      ResultColumns cols = ResultColumns.of(rs, resultsCharset, clientCollation);
      PayloadWriter w = new PayloadWriter(128);
      for (int i = 0; i < cols.size(); i++) {
        w.reset();
        cols.writeDefinition(w, i, true);
        channel.write(w);
      }
      sendEndOfRows(status());
    } catch (SQLException e) {
      sendError(e);
    }
  }

  private void setOption(int option) throws IOException, ProtocolException {
    if (option == 0) {
      multiStatements = true;
    } else if (option == 1) {
      multiStatements = false;
    } else {
      throw new ProtocolException(
          Protocol.ER_UNKNOWN_COM_ERROR, "08S01", "Unknown COM_SET_OPTION " + option, false);
    }
    sendEndOfRows(status());
  }

  /** KILL [QUERY] of an endpoint connection; backend connection ids mean nothing here. */
  private boolean kill(SqlText.Kill kill) throws IOException {
    ClientSession target = server.session(kill.connectionId());
    if (target == null) {
      sendError(Protocol.ER_NO_SUCH_THREAD, "HY000", "Unknown thread id: " + kill.connectionId());
      return false;
    }
    if (!target.user().equals(user)) {
      sendError(
          Protocol.ER_KILL_DENIED_ERROR,
          "HY000",
          "You are not owner of thread " + kill.connectionId());
      return false;
    }
    if (kill.queryOnly()) {
      target.cancelStatement();
    } else if (target == this) {
      // MySQL ends the connection without a reply when it kills itself.
      terminated = true;
      return false;
    } else {
      target.terminate();
    }
    sendOk(0, 0, status(), 0);
    return true;
  }

  // COM_CHANGE_USER, COM_RESET_CONNECTION --------------------------------------------------------

  private boolean changeUser(PayloadReader r) throws IOException, ProtocolException {
    String name = r.nulString("user name");
    byte[] token;
    if ((clientCaps & Protocol.CLIENT_SECURE_CONNECTION) != 0) {
      token = r.bytes(r.u8("auth response length"), "auth response");
    } else {
      token = r.nulBytes("auth response");
    }
    String db =
        r.hasRemaining() ? new String(r.nulOrRestBytes(), StandardCharsets.ISO_8859_1) : null;
    int collation = clientCollation;
    if (r.remaining() >= 2) {
      collation = r.u16("character set");
    }
    String plugin = null;
    if ((clientCaps & Protocol.CLIENT_PLUGIN_AUTH) != 0 && r.hasRemaining()) {
      plugin = new String(r.nulOrRestBytes(), StandardCharsets.UTF_8);
    }
    if (plugin != null && !Protocol.NATIVE_PASSWORD.equals(plugin)) {
      token = switchToNativePassword(options.connectTimeout().toMillis());
    }
    if (!server.authenticate(name, scramble, token)) {
      throw accessDenied(name, token);
    }
    resetBackend(db == null || db.isEmpty() ? null : db, collation);
    user = name;
    sendOk(0, 0, status(), 0);
    return true;
  }

  private void resetConnection() throws IOException {
    resetBackend(database, clientCollation);
    sendOk(0, 0, status(), 0);
  }

  /**
   * A fresh session: prepared statements go, the backend is reopened (an owned row goes back to its
   * queue — safer than Q4M, whose ownership survived a reset).
   */
  private void resetBackend(String db, int collation) throws IOException {
    for (ServerStatement s : statements.values()) {
      closeQuietly(s.statement);
    }
    statements.clear();
    Backend old = backend;
    backend = null;
    if (old != null) {
      old.close();
    }
    database = db;
    clientCollation = collation;
    clientCharset = Charsets.clientCharset(collation);
    resultsCharset = clientCharset;
    try {
      backend = openBackend();
    } catch (SQLException e) {
      ProtocolException pe = backendError(e);
      sendError(pe.code(), pe.sqlState(), pe.getMessage());
      channel.flush();
      throw new EOFException("backend reopen failed");
    }
  }

  // Prepared statements
  // ----------------------------------------------------------------------------

  private void prepare(String sql) throws IOException {
    PreparedStatement ps = null;
    try {
      ps = backend.connection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
      int params = ps.getParameterMetaData().getParameterCount();
      if (params > 0xFFFF) {
        throw new SQLException("too many placeholders: " + params, "HY000", 1390);
      }
      int sid = nextStatementId++;
      statements.put(sid, new ServerStatement(sid, sql, ps, params));
      PayloadWriter w = new PayloadWriter(16);
      // The result columns are announced with the execution, as MySQL does for SHOW: the shim's
      // statements only know their shape once the owner state is known.
      w.u8(0).u32(sid).u16(0).u16(params).u8(0).u16(0);
      channel.write(w);
      if (params > 0) {
        for (int i = 0; i < params; i++) {
          w.reset();
          w.lenencBytes(new byte[] {'d', 'e', 'f'})
              .lenenc(0)
              .lenenc(0)
              .lenenc(0)
              .lenencBytes(new byte[] {'?'})
              .lenenc(0)
              .lenenc(0x0c)
              .u16(Protocol.COLLATION_BINARY)
              .u32(0)
              .u8(Protocol.TYPE_VAR_STRING)
              .u16(Protocol.FLAG_BINARY)
              .u8(0)
              .u16(0);
          channel.write(w);
        }
        if (!deprecateEof) {
          sendEof(status());
        }
      }
    } catch (SQLException e) {
      closeQuietly(ps);
      sendError(e);
    }
  }

  private ServerStatement statement(PayloadReader r) throws ProtocolException {
    long sid = r.u32("statement id");
    ServerStatement s = statements.get((int) sid);
    if (s == null) {
      throw new ProtocolException(
          Protocol.ER_UNKNOWN_STMT_HANDLER,
          "HY000",
          "Unknown prepared statement handler (" + sid + ") given to mysqld_stmt_execute",
          false);
    }
    return s;
  }

  private void sendLongData(PayloadReader r) throws ProtocolException {
    // No reply, whatever happens (the protocol has none); errors surface at execution.
    long sid = r.u32("statement id");
    int param = r.u16("parameter id");
    ServerStatement s = statements.get((int) sid);
    if (s == null || param >= s.paramCount) {
      return;
    }
    byte[] data = r.rest();
    ByteArrayOutputStream buf = s.longData[param];
    if (buf == null) {
      buf = new ByteArrayOutputStream();
      s.longData[param] = buf;
    }
    if ((long) buf.size() + data.length > options.maxPacketSize()) {
      s.longDataOverflow = true;
      return;
    }
    buf.write(data, 0, data.length);
  }

  private void execute(PayloadReader r) throws IOException, ProtocolException {
    ServerStatement s = statement(r);
    r.u8("flags");
    r.u32("iteration count");
    countStatement(s.sql);
    if (s.longDataOverflow) {
      s.clearLongData();
      throw new ProtocolException(
          Protocol.ER_NET_PACKET_TOO_LARGE,
          "08S01",
          "Parameter data sent with COM_STMT_SEND_LONG_DATA exceeds 'max_allowed_packet' bytes",
          false);
    }
    PreparedStatement ps = s.statement;
    try {
      if (s.paramCount > 0) {
        bindParameters(s, r);
      }
      running = ps;
      boolean isResultSet = ps.execute();
      sendResults(ps, isResultSet, true, false);
    } catch (SQLException e) {
      sendError(e);
    } finally {
      running = null;
      s.clearLongData();
    }
  }

  private void bindParameters(ServerStatement s, PayloadReader r)
      throws ProtocolException, SQLException {
    int n = s.paramCount;
    byte[] nulls = r.bytes((n + 7) / 8, "NULL bitmap");
    int bound = r.u8("new-params-bound flag");
    if (bound == 1) {
      for (int i = 0; i < n; i++) {
        s.types[i] = r.u8("parameter type");
        s.unsigned[i] = (r.u8("parameter flags") & 0x80) != 0;
      }
      s.typesKnown = true;
    } else if (!s.typesKnown) {
      throw ProtocolException.malformed("parameters without types");
    }
    PreparedStatement ps = s.statement;
    for (int i = 0; i < n; i++) {
      boolean isNull = (nulls[i / 8] & (1 << (i % 8))) != 0;
      if (s.longData[i] != null) {
        ps.setString(i + 1, s.longData[i].toString(StandardCharsets.ISO_8859_1));
        continue;
      }
      if (isNull || s.types[i] == Protocol.TYPE_NULL) {
        ps.setNull(i + 1, Types.NULL);
        continue;
      }
      Object v = BinaryValues.decodeParam(r, s.types[i], s.unsigned[i]);
      if (v == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (v instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (v instanceof BigInteger b) {
        ps.setBigDecimal(i + 1, new BigDecimal(b));
      } else if (v instanceof Float f) {
        ps.setFloat(i + 1, f);
      } else if (v instanceof Double d) {
        ps.setDouble(i + 1, d);
      } else {
        ps.setString(i + 1, (String) v);
      }
    }
  }

  // Packets
  // ------------------------------------------------------------------------------------------

  private void sendOk(long affected, long insertId, int status, int warnings) throws IOException {
    PayloadWriter w = new PayloadWriter(16);
    w.u8(0).lenenc(affected).lenenc(insertId).u16(status).u16(warnings);
    channel.write(w);
  }

  private void sendEof(int status) throws IOException {
    PayloadWriter w = new PayloadWriter(8);
    w.u8(0xFE).u16(0).u16(status);
    channel.write(w);
  }

  private void sendError(ProtocolException e) throws IOException {
    sendError(e.code(), e.sqlState(), e.getMessage());
    channel.flush();
  }

  void sendError(int code, String sqlState, String message) throws IOException {
    PayloadWriter w = new PayloadWriter(64 + message.length());
    w.u8(0xFF)
        .u16(code)
        .u8('#')
        .bytes(sqlState.getBytes(StandardCharsets.US_ASCII))
        .bytes(ResultColumns.wire(message));
    channel.write(w);
  }

  /**
   * A failed statement: the backend's error code, SQLSTATE and message. When the backend connection
   * itself is gone, the client connection ends too (its state is lost).
   */
  private void sendError(SQLException e) throws IOException {
    String state = sqlState(e);
    int code = e.getErrorCode();
    if (code <= 0) {
      code =
          switch (state) {
            case "70100" -> Protocol.ER_QUERY_INTERRUPTED;
            case "0A000" -> Protocol.ER_NOT_SUPPORTED_YET;
            default -> Protocol.ER_UNKNOWN_ERROR;
          };
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    LOG.trace("connection {}: error {} ({}) {}", id, code, state, message);
    sendError(code, state, message);
    if (backend != null && backend.isBroken()) {
      LOG.info("connection {}: backend connection lost ({}): closing", id, message);
      channel.flush();
      terminated = true;
    }
  }

  private static String sqlState(SQLException e) {
    String s = e.getSQLState();
    return s != null && s.length() == 5 ? s : "HY000";
  }

  /** For the server's connection limit reply: refuses before any greeting. */
  static void refuse(Socket socket, int code, String sqlState, String message) {
    try {
      socket.setSoTimeout(1000);
      PacketChannel c = new PacketChannel(socket, 1024, java.time.Duration.ofSeconds(1));
      PayloadWriter w = new PayloadWriter(64);
      w.u8(0xFF)
          .u16(code)
          .u8('#')
          .bytes(sqlState.getBytes(StandardCharsets.US_ASCII))
          .bytes(message.getBytes(StandardCharsets.UTF_8));
      c.write(w);
      c.flush();
    } catch (IOException e) {
      // the client is gone already
    } finally {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
