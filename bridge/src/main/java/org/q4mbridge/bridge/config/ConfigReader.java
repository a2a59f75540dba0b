package org.q4mbridge.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.q4mbridge.bridge.config.MappingConfig.BodyFormat;
import org.q4mbridge.bridge.config.MappingConfig.ColumnGroupId;
import org.q4mbridge.bridge.config.MappingConfig.ConstantGroupId;
import org.q4mbridge.bridge.config.MappingConfig.GroupId;
import org.q4mbridge.bridge.config.RabbitSinkConfig.ExchangeType;
import org.q4mbridge.bridge.config.SqsSinkConfig.Credentials;
import org.q4mbridge.bridge.config.SqsSinkConfig.DefaultChain;
import org.q4mbridge.bridge.config.SqsSinkConfig.StaticKeys;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.TableRef;

/**
 * The one place where the configuration is validated: walks the YAML tree, applies defaults, checks
 * every value and every cross-reference, and builds the records. Problems are collected in {@link
 * Reading}; a part with problems yields {@code null} (or nothing), never an exception, so one pass
 * finds them all.
 */
final class ConfigReader {
  private static final List<String> JDBC_PREFIXES =
      List.of("jdbc:mysql://", "jdbc:mariadb://", "jdbc:q4m:mysql://");
  private static final String JDBC_EXPECTED =
      "a JDBC URL starting with jdbc:mysql://, jdbc:mariadb:// or jdbc:q4m:mysql://";
  private static final Pattern SINK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final List<String> SINK_TYPES =
      List.of(RedisSinkConfig.TYPE, SqsSinkConfig.TYPE, RabbitSinkConfig.TYPE);

  /** SQS queue names: 1-80 of these, {@code .fifo} last for FIFO queues. */
  private static final Pattern SQS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern LISTEN =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");

  private static final Duration MS = Duration.ofMillis(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration YEAR = Duration.ofDays(365);
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private final Reading reading;

  /**
   * The bridge's schema, once database() could tell it (even if the section has other problems).
   */
  private String resolvedSchema;

  ConfigReader(Reading reading) {
    this.reading = reading;
  }

  /** Reads the whole file; {@code null} when there were problems. */
  BridgeConfig read(JsonNode rootNode) {
    Section root =
        Section.of(
            reading, "", rootNode, "a mapping with database, sinks and queues at the top level");
    DatabaseConfig database =
        database(root.section("database", "a mapping with url, user, password, schema, pool"));
    // Known even when another database setting is invalid; null only when it cannot be told.
    String schema = resolvedSchema;

    Map<String, SinkConfig> sinks = new LinkedHashMap<>();
    Set<String> sinkNames = new LinkedHashSet<>();
    sinks(root.section("sinks", "a mapping of sink names to sink settings"), sinks, sinkNames);

    List<QueueConfig> queues = new ArrayList<>();
    List<Section.Element> queueNodes =
        root.list("queues", "a list of queue settings (each starting with '- table: …')");
    Map<String, String> seenTables = new HashMap<>();
    for (Section.Element e : queueNodes) {
      QueueConfig q = queue(e, schema, sinks, sinkNames, seenTables);
      if (q != null) {
        queues.add(q);
      }
    }

    CompareConfig compare = compare(root.section("compare", "a mapping with gate, transport"));
    AdminConfig admin = admin(root.section("admin", "a mapping with listen"));
    ShutdownConfig shutdown = shutdown(root.section("shutdown", "a mapping with grace"));
    PollConfig poll =
        poll(root.section("poll", "a mapping with minInterval, maxInterval, timeout"));
    DeadLetterConfig deadLetter =
        deadLetter(root.section("deadLetter", "a mapping with table"), schema);
    LoggingConfig logging = logging(root.section("logging", "a mapping with format, logPayloads"));
    root.finish();

    if (deadLetter != null && queues.stream().anyMatch(q -> q.table().sameAs(deadLetter.table()))) {
      reading.problem(
          "deadLetter.table",
          "'" + deadLetter.table() + "' is also a queue table; dead letters need their own table");
    }
    if (reading.problemCount() > 0) {
      return null;
    }
    return new BridgeConfig(
        reading.source(),
        database,
        sinks,
        queues,
        compare,
        admin,
        shutdown,
        poll,
        deadLetter,
        logging,
        reading.referencedPaths());
  }

  // ---- database -------------------------------------------------------------------------------

  private DatabaseConfig database(Section s) {
    int mark = reading.problemCount();
    Optional<Section.Text> urlText = s.requiredText("url", JDBC_EXPECTED);
    String url = urlText.map(t -> jdbcUrl(t)).orElse(null);
    String user =
        s.requiredText("user", "the bridge's MySQL account name").map(t -> t.value()).orElse(null);
    Optional<Secret> password = s.text("password", "a password").map(t -> Secret.of(t.value()));
    Optional<Section.Text> schemaText = s.optionalText("schema", "the bridge's own schema");
    Section pool = s.section("pool", "a mapping with maxSize");
    int maxSize = pool.integer("maxSize", 8, 1, 1000);
    pool.finish();
    s.finish();

    String schema = null;
    if (schemaText.isPresent()) {
      schema = identifier(schemaText.get(), "schema");
    } else if (url != null) {
      String fromUrl = databaseOfUrl(url);
      if (fromUrl == null) {
        s.problem(
            "schema",
            "missing (database.url names no database, so give the bridge's own schema here)");
      } else if (!Identifiers.isValid(fromUrl)) {
        s.problem(
            "schema",
            "missing, and the database '"
                + fromUrl
                + "' in database.url is not a valid identifier; give the schema here");
      } else {
        schema = fromUrl;
        if (urlText.get().referenced()) {
          // Derived from a hidden value: keep it hidden too.
          reading.referenced(s.pathOf("schema"));
        }
      }
    }
    resolvedSchema = schema;
    if (reading.problemCount() > mark) {
      return null;
    }
    return new DatabaseConfig(url, user, password, schema, new DatabaseConfig.Pool(maxSize));
  }

  private String jdbcUrl(Section.Text t) {
    String url = t.value();
    String prefix = JDBC_PREFIXES.stream().filter(url::startsWith).findFirst().orElse(null);
    // Never echo the URL itself: it might carry a password.
    String shown = t.referenced() ? t.shown() : "'" + schemeOf(url) + "…'";
    if (prefix == null) {
      reading.problem(t.path(), "expected " + JDBC_EXPECTED + ", got " + shown);
      return null;
    }
    String rest = url.substring(prefix.length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String query = url.indexOf('?') < 0 ? "" : url.substring(url.indexOf('?') + 1);
    boolean passwordParam =
        ("&" + query.toLowerCase(Locale.ROOT)).contains("&password=")
            || ("&" + query.toLowerCase(Locale.ROOT)).contains("&password1=");
    if (authority.contains("@") || passwordParam) {
      // Credentials in the URL would be printed wherever the URL is; they belong in user/password.
      reading.problem(
          t.path(),
          "must not carry credentials (user:password@ or password=); use database.user and"
              + " database.password");
      return null;
    }
    return url;
  }

  /**
   * The start of a URL that cannot hold a credential: the scheme and {@code ://}, or what comes
   * before the first {@code :/@?#} when the URL is too mangled to tell where a password would be.
   */
  static String schemeOf(String url) {
    int i = url.indexOf("://");
    if (i >= 0) {
      return url.substring(0, i + 3);
    }
    int end = 0;
    while (end < url.length() && ":/@?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.substring(0, end);
  }

  /** The database of {@code jdbc:…://host:port/db?…}, or null when the URL names none. */
  static String databaseOfUrl(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String db = rest.substring(slash + 1);
    int end = db.length();
    for (char c : new char[] {'?', ';', '#'}) {
      int i = db.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    db = db.substring(0, end);
    return db.isEmpty() ? null : db;
  }

  // ---- sinks ----------------------------------------------------------------------------------

  private void sinks(Section s, Map<String, SinkConfig> sinks, Set<String> names) {
    for (Map.Entry<String, JsonNode> e : s.entries().entrySet()) {
      String name = e.getKey();
      if (!SINK_NAME.matcher(name).matches()) {
        reading.problem(
            s.path(),
            "sink name '"
                + name
                + "' is not valid: expected 1-64 letters, digits, '-' or '_', starting with a letter"
                + " or digit");
        continue;
      }
      // Known even when its settings are invalid, so queues naming it get no second, misleading
      // "unknown sink" problem.
      names.add(name);
      Section sink =
          Section.of(
              reading,
              s.pathOf(name),
              e.getValue(),
              "a mapping with type: " + String.join(", ", SINK_TYPES));
      SinkConfig config = sink(name, sink);
      if (config != null) {
        sinks.put(name, config);
      }
    }
  }

  private SinkConfig sink(String name, Section s) {
    String expectedType = "one of " + String.join(", ", SINK_TYPES);
    Optional<Section.Text> type = s.requiredText("type", expectedType);
    if (type.isEmpty()) {
      return null;
    }
    int mark = reading.problemCount();
    SinkConfig config;
    switch (type.get().value()) {
      case RedisSinkConfig.TYPE -> config = redis(name, s);
      case SqsSinkConfig.TYPE -> config = sqs(name, s);
      case RabbitSinkConfig.TYPE -> config = rabbit(name, s);
      default -> {
        // Without a known type the other keys cannot be judged; reporting them as unknown would
        // only add noise.
        s.problem(
            "type",
            "unknown sink type "
                + type.get().shown()
                + " (known: "
                + String.join(", ", SINK_TYPES)
                + ")");
        return null;
      }
    }
    s.finish();
    return reading.problemCount() > mark ? null : config;
  }

  private RedisSinkConfig redis(String name, Section s) {
    Optional<Secret> uri =
        s.requiredText("uri", "a redis://, rediss:// or redis-sentinel:// URI")
            .flatMap(t -> brokerUri(t, List.of("redis", "rediss", "redis-sentinel")));
    Optional<String> user = s.optionalText("user", "an ACL user name").map(Section.Text::value);
    Optional<Secret> password = s.text("password", "a password").map(t -> Secret.of(t.value()));
    Optional<Boolean> tls = s.optionalBool("tls");
    OptionalLong maxLen = s.wholeNumber("maxLen", 1, Long.MAX_VALUE);
    boolean dedup = s.bool("dedup", true);
    // SET … EX takes whole seconds; a dedup key must outlive any redelivery.
    Duration dedupTtl = s.duration("dedupTtl", Duration.ofHours(24), Duration.ofSeconds(1), YEAR);
    Duration publishTimeout =
        s.duration("publishTimeout", Duration.ofSeconds(5), MS, Duration.ofMinutes(10));
    long maxBytes = s.bytes("maxMessageBytes", MIB, 1, 512 * MIB);
    if (uri.isEmpty()) {
      return null;
    }
    String u = uri.get().reveal();
    boolean rediss = u.startsWith("rediss://");
    if (tls.isPresent() && !tls.get() && rediss) {
      s.problem("tls", "false contradicts the rediss:// uri (which always uses TLS)");
    }
    if (password.isPresent() && userInfo(u).contains(":")) {
      s.problem("password", "the uri already carries a password; give it in one place only");
    }
    if (user.isPresent() && !userInfo(u).isEmpty() && !userInfo(u).startsWith(":")) {
      s.problem("user", "the uri already carries a user name; give it in one place only");
    }
    return new RedisSinkConfig(
        name,
        uri.get(),
        user,
        password,
        tls.orElse(rediss),
        maxLen,
        dedup,
        dedupTtl,
        publishTimeout,
        maxBytes);
  }

  private SqsSinkConfig sqs(String name, Section s) {
    Optional<String> region =
        s.requiredText("region", "an AWS region like ap-northeast-1")
            .filter(
                t ->
                    check(
                        REGION.matcher(t.value()).matches(),
                        t,
                        "expected an AWS region like ap-northeast-1"))
            .map(Section.Text::value);
    Optional<String> endpoint =
        s.optionalText("endpoint", "an http:// or https:// URL").flatMap(t -> httpUrl(t));
    Optional<String> prefix =
        s.optionalText("queueUrlPrefix", "an http:// or https:// URL ending in the account id")
            .flatMap(t -> httpUrl(t))
            .map(p -> p.endsWith("/") ? p : p + "/");
    Credentials credentials = sqsCredentials(s);
    Duration publishTimeout =
        s.duration("publishTimeout", Duration.ofSeconds(10), MS, Duration.ofMinutes(10));
    // 262144 is SQS's classic limit; AWS raised it to 1MiB in 2025, compatible servers may not.
    long maxBytes = s.bytes("maxMessageBytes", 256 * KIB, 1, MIB);
    if (region.isEmpty() || credentials == null) {
      return null;
    }
    return new SqsSinkConfig(
        name, region.get(), endpoint, prefix, credentials, publishTimeout, maxBytes);
  }

  private Credentials sqsCredentials(Section s) {
    String expected = "'default' or a mapping with accessKeyId and secretAccessKey";
    // A scalar is allowed here (the word 'default'), so look before reading it as a mapping.
    JsonNode raw = s.rawNode("credentials");
    if (raw.isMissingNode() || raw.isNull()) {
      return new DefaultChain();
    }
    if (!raw.isObject()) {
      Optional<Section.Text> t = s.text("credentials", expected);
      if (t.isPresent() && t.get().value().equals("default")) {
        return new DefaultChain();
      }
      t.ifPresent(v -> s.problem("credentials", "expected " + expected + ", got " + v.shown()));
      return null;
    }
    Section keys = s.section("credentials", expected);
    int mark = reading.problemCount();
    Optional<Secret> keyId =
        keys.requiredText("accessKeyId", "an AWS access key id, e.g. ${env:AWS_ACCESS_KEY_ID}")
            .map(t -> Secret.of(t.value()));
    Optional<Secret> secretKey =
        keys.requiredText(
                "secretAccessKey", "an AWS secret access key, e.g. ${env:AWS_SECRET_ACCESS_KEY}")
            .map(t -> Secret.of(t.value()));
    Optional<Secret> token =
        keys.optionalText("sessionToken", "an AWS session token").map(t -> Secret.of(t.value()));
    keys.finish();
    if (reading.problemCount() > mark) {
      return null;
    }
    return new StaticKeys(keyId.orElseThrow(), secretKey.orElseThrow(), token);
  }

  private RabbitSinkConfig rabbit(String name, Section s) {
    Optional<Secret> uri =
        s.requiredText("uri", "an amqp:// or amqps:// URI")
            .flatMap(t -> brokerUri(t, List.of("amqp", "amqps")));
    Optional<String> exchange;
    if (!s.has("exchange")) {
      s.problem("exchange", "missing (expected an exchange name; \"\" for the default exchange)");
      exchange = Optional.empty();
    } else {
      exchange = s.text("exchange", "an exchange name").map(Section.Text::value);
    }
    ExchangeType exchangeType = s.choice("exchangeType", ExchangeType.class, ExchangeType.DIRECT);
    boolean declare = s.bool("declare", false);
    boolean mandatory = s.bool("mandatory", true);
    Duration publishTimeout =
        s.duration("publishTimeout", Duration.ofSeconds(10), MS, Duration.ofMinutes(10));
    long maxBytes = s.bytes("maxMessageBytes", MIB, 1, 128 * MIB);
    if (exchange.isPresent()) {
      String x = exchange.get();
      if (x.length() > 255) {
        s.problem("exchange", "expected at most 255 characters, got " + x.length());
      } else if (declare && x.isEmpty()) {
        s.problem("declare", "true cannot apply to the default exchange \"\" (it always exists)");
      } else if (declare && x.startsWith("amq.")) {
        s.problem(
            "declare", "true cannot apply to '" + x + "': names starting with amq. are reserved");
      }
    }
    if (uri.isEmpty() || exchange.isEmpty()) {
      return null;
    }
    return new RabbitSinkConfig(
        name,
        uri.get(),
        exchange.get(),
        exchangeType,
        declare,
        mandatory,
        publishTimeout,
        maxBytes);
  }

  /** Checks a broker URI's scheme and shape; the secret keeps credentials out of messages. */
  private Optional<Secret> brokerUri(Section.Text t, List<String> schemes) {
    Secret secret = Secret.uri(t.value(), t.referenced());
    // Without "://" nobody can tell where a password would start: show only the first word.
    String shown =
        t.referenced()
            ? t.shown()
            : t.value().contains("://")
                ? "'" + secret.redacted() + "'"
                : "'" + schemeOf(t.value()) + "…'";
    String expected =
        "a URI starting with "
            + String.join(", ", schemes.stream().map(x -> x + "://").toList())
            + ", got "
            + shown;
    URI uri;
    try {
      uri = new URI(t.value());
    } catch (URISyntaxException e) {
      // URISyntaxException repeats the input, which may hold a password: say only where.
      reading.problem(
          t.path(), "expected " + expected + " (not a valid URI at index " + e.getIndex() + ")");
      return Optional.empty();
    }
    if (uri.getScheme() == null
        || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
        || uri.getRawAuthority() == null) {
      reading.problem(t.path(), "expected " + expected);
      return Optional.empty();
    }
    return Optional.of(secret);
  }

  /** The raw user-info of a URI ({@code user:password}), or "" when it has none. */
  private static String userInfo(String uri) {
    try {
      String info = new URI(uri).getRawUserInfo();
      return info == null ? "" : info;
    } catch (URISyntaxException e) {
      return "";
    }
  }

  private Optional<String> httpUrl(Section.Text t) {
    try {
      URI uri = new URI(t.value());
      if (uri.getScheme() != null
          && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null) {
        return Optional.of(t.value());
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    reading.problem(t.path(), "expected an http:// or https:// URL with a host, got " + t.shown());
    return Optional.empty();
  }

  // ---- queues ---------------------------------------------------------------------------------

  private QueueConfig queue(
      Section.Element e,
      String schema,
      Map<String, SinkConfig> sinks,
      Set<String> sinkNames,
      Map<String, String> seenTables) {
    Section q =
        Section.of(reading, e.path(), e.node(), "a mapping with table, mode, phase, sinks, …");
    int mark = reading.problemCount();

    Optional<Section.Text> tableText = q.requiredText("table", "[schema.]table");
    TableRef table = tableText.map(t -> tableRef(t, schema)).orElse(null);
    if (table != null) {
      String earlier = seenTables.putIfAbsent(table.key(), e.path());
      if (earlier != null) {
        String shown = schema == null ? tableText.get().shown() : "'" + table + "'";
        q.problem("table", shown + " is already listed at " + earlier + ".table");
      }
    }
    Optional<SourceMode> mode = q.optionalChoice("mode", SourceMode.class);
    if (!q.has("mode")) {
      q.problem("mode", "missing (expected one of " + Section.names(SourceMode.class) + ")");
    }
    Phase phase = q.choice("phase", Phase.class, Phase.OFF);
    List<String> required = sinkList(q, "sinks", sinkNames, List.of());
    List<String> bestEffort = sinkList(q, "bestEffort", sinkNames, required);
    if (phase != Phase.OFF && required.isEmpty() && !q.has("sinks")) {
      q.problem(
          "sinks",
          "missing (expected at least one required sink in phase "
              + phase.yamlName()
              + "; only phase off may have none)");
    } else if (phase != Phase.OFF && required.isEmpty() && rawIsEmptyList(q, "sinks")) {
      q.problem(
          "sinks",
          "expected at least one required sink in phase "
              + phase.yamlName()
              + " (only phase off may have none), got []");
    }
    Optional<Section.Text> destinationText =
        q.optionalText("destination", "a stream, queue or routing key name");
    Optional<String> destination = destinationText.map(Section.Text::value);
    Optional<Section.Text> shadowText =
        q.optionalText("shadowDestination", "a stream, queue or routing key name");
    Optional<String> shadow = shadowText.map(Section.Text::value);
    boolean ordered = q.bool("ordered", false);
    OptionalLong consumersGiven = q.wholeNumber("consumers", 1, 256);
    if (ordered && consumersGiven.isPresent() && consumersGiven.getAsLong() != 1) {
      q.problem(
          "consumers",
          "expected 1 because ordered is true (one consumer keeps row order), got "
              + consumersGiven.getAsLong());
    }
    int consumers = (int) consumersGiven.orElse(ordered ? 1 : 4);
    int batchSize = q.integer("batchSize", QueueConfig.DEFAULT_BATCH_SIZE, 1, 10_000);
    long maxBatchBytes = q.bytes("maxBatchBytes", QueueConfig.DEFAULT_MAX_BATCH_BYTES, KIB, GIB);
    QueueConfig.Retry retry = retry(q.section("retry", "a mapping with maxAttempts, backoff"));
    OptionalLong maxBytes = q.optionalBytes("maxMessageBytes", 1, GIB);
    Optional<String> condition =
        q.optionalText("condition", "a Q4M condition like priority>3").map(Section.Text::value);
    Optional<String> rowIdColumn =
        q.optionalText("rowIdColumn", "a column name").map(t -> identifier(t, "column"));
    Optional<QueueWaitForm> waitForm = q.optionalChoice("queueWaitForm", QueueWaitForm.class);
    MappingConfig mapping = mapping(q.section("mapping", "a mapping with type, payload, body, …"));
    boolean force = q.bool("force", false);
    q.finish();

    if (mode.isPresent() && mode.get() == SourceMode.NATIVE && rowIdColumn.isPresent()) {
      q.problem("rowIdColumn", "only applies to mode: emulated (native queues have queue_rowid())");
    }
    if (mode.isPresent() && mode.get() == SourceMode.EMULATED && waitForm.isPresent()) {
      q.problem("queueWaitForm", "only applies to mode: native");
    }
    if (table == null || mode.isEmpty() || mapping == null || retry == null) {
      return null;
    }

    String dest = destination.orElse(table.table());
    // Defaults derived from a hidden value stay hidden in describe().
    boolean destHidden =
        destinationText.map(Section.Text::referenced).orElse(false)
            || (destination.isEmpty() && tableText.get().referenced());
    if (destHidden && destination.isEmpty()) {
      reading.referenced(q.pathOf("destination"));
    }
    if (destHidden && shadow.isEmpty()) {
      reading.referenced(q.pathOf("shadowDestination"));
    }
    List<SinkConfig> used = new ArrayList<>();
    for (String n : concat(required, bestEffort)) {
      if (sinks.containsKey(n)) {
        used.add(sinks.get(n));
      }
    }
    Optional<SinkConfig> sqsSink =
        used.stream().filter(c -> c instanceof SqsSinkConfig).findFirst();
    boolean toSqs = sqsSink.isPresent();
    boolean toRabbit = used.stream().anyMatch(c -> c instanceof RabbitSinkConfig);
    String shadowDest = shadow.orElseGet(() -> defaultShadow(dest, toSqs));
    // How to name them in messages without echoing a value that came from a reference.
    String destShown =
        destHidden
            ? "the destination (from a ${…} reference)"
            : (destination.isPresent()
                ? "'" + dest + "'"
                : "the default destination '" + dest + "'");
    boolean shadowHidden = shadowText.map(Section.Text::referenced).orElse(destHidden);
    String shadowShown =
        shadowHidden
            ? "the shadow destination (from a ${…} reference)"
            : (shadow.isPresent()
                ? "'" + shadowDest + "'"
                : "the default shadow destination '" + shadowDest + "'");
    String destKey = destination.isPresent() ? "destination" : "table";
    String shadowKey = shadow.isPresent() ? "shadowDestination" : destKey;
    if (shadowDest.equals(dest)) {
      q.problem(
          "shadowDestination",
          "must differ from " + destShown + " (shadow copies must never reach live workers)");
    }
    if (toSqs) {
      String sink = sqsSink.get().name();
      sqsName(
          q, destKey, destShown, dest, sink, destination.isPresent() ? "" : "; set destination");
      // A default shadow name is only worth a word when the destination itself was fine.
      if (shadow.isPresent() || sqsNameValid(dest)) {
        sqsName(
            q,
            shadowKey,
            shadowShown,
            shadowDest,
            sink,
            shadow.isPresent() ? "" : "; set shadowDestination");
      }
    }
    if (toRabbit && mapping.routingKeyColumn().isEmpty()) {
      routingKey(q, destKey, destShown, dest);
      if (shadow.isPresent() || routingKeyValid(dest)) {
        routingKey(q, shadowKey, shadowShown, shadowDest);
      }
    }
    if (mapping.routingKeyColumn().isPresent() && !toRabbit) {
      q.problem(
          "mapping.routingKeyColumn", "only applies to rabbitmq sinks, and this queue has none");
    }
    boolean fifo = toSqs && (SqsSinkConfig.isFifo(dest) || SqsSinkConfig.isFifo(shadowDest));
    if (fifo && mapping.groupId().isEmpty()) {
      if (ordered) {
        // One group for the whole queue is exactly what ordered asks for.
        mapping = mapping.withGroupId(new ConstantGroupId(table.toString()));
      } else {
        q.problem(
            "mapping.groupId",
            "missing (the SQS destination is a FIFO queue, which needs a group: {column: <name>}"
                + " or {constant: <value>}; or set ordered: true for one group)");
      }
    }
    if (reading.problemCount() > mark) {
      return null;
    }
    return new QueueConfig(
        table,
        mode.get(),
        phase,
        required,
        bestEffort,
        dest,
        shadowDest,
        consumers,
        batchSize,
        maxBatchBytes,
        ordered,
        retry,
        maxBytes,
        condition,
        rowIdColumn,
        waitForm.orElse(QueueWaitForm.TWO_STEP),
        mapping,
        force);
  }

  private static boolean rawIsEmptyList(Section s, String key) {
    JsonNode v = s.rawNode(key);
    return v != null && v.isArray() && v.isEmpty();
  }

  /**
   * Default shadow destination: {@code <destination>.shadow}; for SQS, whose names allow no dots,
   * {@code <name>-shadow} with a {@code .fifo} suffix kept last.
   */
  static String defaultShadow(String destination, boolean sqs) {
    if (!sqs) {
      return destination + ".shadow";
    }
    if (SqsSinkConfig.isFifo(destination)) {
      return destination.substring(0, destination.length() - 5) + "-shadow.fifo";
    }
    return destination + "-shadow";
  }

  private static boolean sqsNameValid(String name) {
    String base = SqsSinkConfig.isFifo(name) ? name.substring(0, name.length() - 5) : name;
    return name.length() <= 80 && SQS_NAME.matcher(base).matches();
  }

  private void sqsName(Section q, String key, String shown, String name, String sink, String fix) {
    if (!sqsNameValid(name)) {
      q.problem(
          key,
          shown
              + " is not a valid SQS queue name for sink "
              + sink
              + ": expected at most 80 letters, digits, '-' or '_', with .fifo last for a FIFO"
              + " queue"
              + fix);
    }
  }

  private static boolean routingKeyValid(String name) {
    return name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255;
  }

  private void routingKey(Section q, String key, String shown, String name) {
    if (!routingKeyValid(name)) {
      q.problem(key, shown + " is longer than AMQP's 255-byte routing key limit");
    }
  }

  private List<String> sinkList(
      Section q, String key, Set<String> defined, List<String> requiredSinks) {
    List<String> out = new ArrayList<>();
    for (Section.Element e : q.list(key, "a list of sink names like [redis-main]")) {
      Optional<Section.Text> t = q.textOf(e.path(), e.node(), "a sink name");
      if (t.isEmpty()) {
        continue;
      }
      String name = t.get().value();
      if (!defined.contains(name)) {
        reading.problem(
            e.path(),
            "unknown sink "
                + t.get().shown()
                + (defined.isEmpty()
                    ? " (no sinks are defined under sinks:)"
                    : " (defined: " + String.join(", ", defined) + ")"));
      } else if (out.contains(name)) {
        reading.problem(e.path(), "sink '" + name + "' is listed twice");
      } else if (requiredSinks.contains(name)) {
        reading.problem(
            e.path(),
            "sink '"
                + name
                + "' is also in "
                + q.pathOf("sinks")
                + "; a sink is either required or best-effort");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private QueueConfig.Retry retry(Section s) {
    int mark = reading.problemCount();
    int maxAttempts = s.integer("maxAttempts", 5, 1, 1000);
    String expected = "min..max durations like 200ms..30s";
    Duration min = Duration.ofMillis(200);
    Duration max = Duration.ofSeconds(30);
    Optional<Section.Text> backoff = s.optionalText("backoff", expected);
    if (backoff.isPresent()) {
      String[] parts = backoff.get().value().split("\\.\\.", -1);
      try {
        if (parts.length != 2) {
          throw new IllegalArgumentException("no '..'");
        }
        min = Durations.parse(parts[0]);
        max = Durations.parse(parts[1]);
        if (min.isZero() || max.compareTo(HOUR) > 0) {
          s.problem("backoff", "expected durations from 1ms to 1h, got " + backoff.get().shown());
        } else if (min.compareTo(max) > 0) {
          s.problem(
              "backoff",
              "the minimum "
                  + Durations.format(min)
                  + " is greater than the maximum "
                  + Durations.format(max));
        }
      } catch (IllegalArgumentException e) {
        s.problem("backoff", "expected " + expected + ", got " + backoff.get().shown());
      }
    }
    s.finish();
    return reading.problemCount() > mark ? null : new QueueConfig.Retry(maxAttempts, min, max);
  }

  private MappingConfig mapping(Section s) {
    int mark = reading.problemCount();
    MappingConfig d = MappingConfig.DEFAULT;
    String type = column(s, "type", d.typeColumn());
    String payload = column(s, "payload", d.payloadColumn());
    BodyFormat body = s.choice("body", BodyFormat.class, d.body());
    Optional<String> rawColumn =
        s.optionalText("rawColumn", "a column name").map(t -> identifier(t, "column"));
    List<String> extra = new ArrayList<>();
    for (Section.Element e : s.list("extraFields", "a list of column names like [tenant_id]")) {
      Optional<Section.Text> t = s.textOf(e.path(), e.node(), "a column name");
      if (t.isEmpty()) {
        continue;
      }
      String c = identifier(t.get(), "column");
      if (c == null) {
        continue;
      }
      if (extra.contains(c)) {
        reading.problem(e.path(), "column '" + c + "' is listed twice");
      } else if (c.equals("type") || c.equals("payload")) {
        // Stream fields and attributes already carry 'type' and 'payload'.
        reading.problem(e.path(), "column '" + c + "' would overwrite the " + c + " field");
      } else {
        extra.add(c);
      }
    }
    Optional<GroupId> groupId = groupId(s);
    Optional<String> routingKeyColumn =
        s.optionalText("routingKeyColumn", "a column name").map(t -> identifier(t, "column"));
    String createdAt = column(s, "createdAtColumn", d.createdAtColumn());
    s.finish();
    if (body == BodyFormat.RAW_COLUMN && rawColumn.isEmpty() && !s.has("rawColumn")) {
      s.problem("rawColumn", "missing (body: raw-column needs the column whose value is sent)");
    }
    if (body == BodyFormat.ENVELOPE && rawColumn.isPresent()) {
      s.problem("rawColumn", "only applies to body: raw-column");
    }
    if (reading.problemCount() > mark) {
      return null;
    }
    return new MappingConfig(
        type, payload, body, rawColumn, extra, groupId, routingKeyColumn, createdAt);
  }

  private String column(Section s, String key, String defaultValue) {
    return s.optionalText(key, "a column name")
        .map(t -> identifier(t, "column"))
        .orElse(defaultValue);
  }

  private Optional<GroupId> groupId(Section s) {
    String expected = "{column: <name>} or {constant: <value>}";
    if (!s.has("groupId")) {
      return Optional.empty();
    }
    Section g = s.section("groupId", expected);
    boolean column = g.has("column");
    boolean constant = g.has("constant");
    Optional<String> col =
        g.optionalText("column", "a column name").map(t -> identifier(t, "column"));
    Optional<String> value = g.optionalText("constant", "a group id").map(Section.Text::value);
    g.finish();
    if (column == constant && s.rawNode("groupId").isObject()) {
      s.problem("groupId", "expected exactly one of " + expected);
      return Optional.empty();
    }
    if (value.isPresent() && value.get().length() > 128) {
      // SQS MessageGroupId limit.
      g.problem("constant", "expected at most 128 characters, got " + value.get().length());
      return Optional.empty();
    }
    if (col.isPresent()) {
      return Optional.of(new ColumnGroupId(col.get()));
    }
    return value.map(ConstantGroupId::new);
  }

  // ---- the rest -------------------------------------------------------------------------------

  private CompareConfig compare(Section s) {
    Section g = s.section("gate", "a mapping with minSamples, maxMissing, maxMismatchRate, window");
    long minSamples = g.wholeNumber("minSamples", 1, Long.MAX_VALUE).orElse(1000);
    long maxMissing = g.wholeNumber("maxMissing", 0, Long.MAX_VALUE).orElse(0);
    double maxMismatchRate = g.decimal("maxMismatchRate", 0.001, 0, 1);
    Duration window = g.duration("window", Duration.ofHours(24), Duration.ofMinutes(1), YEAR);
    g.finish();
    CompareConfig.Transport transport =
        transport(s.section("transport", "a mapping with enabled, phases, group"));
    s.finish();
    return new CompareConfig(
        new CompareConfig.Gate(minSamples, maxMissing, maxMismatchRate, window), transport);
  }

  private CompareConfig.Transport transport(Section t) {
    CompareConfig.Transport d = CompareConfig.Transport.DEFAULT;
    boolean enabled = t.bool("enabled", d.enabled());
    String expectedPhase = "mirror, shadow or cutover";
    Set<Phase> phases = d.phases();
    if (t.has("phases")) {
      phases = java.util.EnumSet.noneOf(Phase.class);
      for (Section.Element e :
          t.list("phases", "a list of phases (" + expectedPhase + "), e.g. [mirror, shadow]")) {
        Optional<Section.Text> name = t.textOf(e.path(), e.node(), expectedPhase);
        if (name.isEmpty()) {
          continue;
        }
        Phase p = null;
        for (Phase candidate : Phase.values()) {
          if (candidate != Phase.OFF && candidate.yamlName().equals(name.get().value())) {
            p = candidate;
          }
        }
        if (p == null) {
          t.reading()
              .problem(
                  e.path(),
                  "expected "
                      + expectedPhase
                      + ", got "
                      + name.get().shown()
                      + ("off".equals(name.get().value())
                          ? " (a queue in phase off forwards nothing to verify)"
                          : ""));
          continue;
        }
        phases.add(p);
      }
    }
    String group = d.group();
    Optional<Section.Text> g = t.optionalText("group", "a consumer group name like " + d.group());
    if (g.isPresent()) {
      if (g.get().value().matches(CompareConfig.Transport.GROUP_PATTERN)) {
        group = g.get().value();
      } else {
        t.problem(
            "group",
            "expected 1-100 letters, digits, '.', '_', ':' or '-' (starting with a letter or"
                + " digit), got "
                + g.get().shown());
      }
    }
    t.finish();
    return new CompareConfig.Transport(enabled, phases, group);
  }

  private AdminConfig admin(Section s) {
    String expected = "host:port like 127.0.0.1:9400";
    Optional<Section.Text> listen = s.optionalText("listen", expected);
    s.finish();
    if (listen.isEmpty()) {
      return s.has("listen") ? null : new AdminConfig("127.0.0.1", 9400);
    }
    Matcher m = LISTEN.matcher(listen.get().value());
    if (!m.matches()) {
      s.problem("listen", "expected " + expected + ", got " + listen.get().shown());
      return null;
    }
    String host = m.group(1) != null ? m.group(1) : m.group(2);
    int port = Integer.parseInt(m.group(3));
    if (m.group(2) != null && !HOST_NAME.matcher(host).matches()) {
      s.problem(
          "listen",
          "expected "
              + expected
              + " (an IPv6 address goes in brackets), got "
              + listen.get().shown());
      return null;
    }
    if (port < 0 || port > 65535) {
      s.problem("listen", "expected a port from 1 to 65535 (0: any free port), got " + port);
      return null;
    }
    return new AdminConfig(host, port);
  }

  private ShutdownConfig shutdown(Section s) {
    Duration grace = s.duration("grace", Duration.ofSeconds(30), Duration.ZERO, HOUR);
    s.finish();
    return new ShutdownConfig(grace);
  }

  private PollConfig poll(Section s) {
    Duration min = s.duration("minInterval", MS, MS, Duration.ofSeconds(10));
    Duration max = s.duration("maxInterval", Duration.ofMillis(50), MS, Duration.ofMinutes(1));
    Duration timeout = s.duration("timeout", Duration.ofSeconds(1), MS, Duration.ofMinutes(5));
    s.finish();
    if (max.compareTo(min) < 0) {
      s.problem(
          "maxInterval",
          "must be at least poll.minInterval ("
              + Durations.format(min)
              + "), got "
              + Durations.format(max));
      return null;
    }
    return new PollConfig(min, max, timeout);
  }

  private DeadLetterConfig deadLetter(Section s, String schema) {
    TableRef table =
        s.optionalText("table", "[schema.]table")
            .map(t -> tableRef(t, schema))
            .orElseGet(
                () ->
                    schema == null || s.has("table")
                        ? null
                        : new TableRef(schema, "q4m_dead_letter"));
    s.finish();
    return table == null ? null : new DeadLetterConfig(table);
  }

  private LoggingConfig logging(Section s) {
    LoggingConfig.Format format =
        s.choice("format", LoggingConfig.Format.class, LoggingConfig.Format.PLAIN);
    boolean logPayloads = s.bool("logPayloads", false);
    s.finish();
    return new LoggingConfig(format, logPayloads);
  }

  // ---- identifiers ----------------------------------------------------------------------------

  /**
   * A validated identifier, or null (and a problem) — the rule is q4m-compat's {@link Identifiers}.
   */
  private String identifier(Section.Text t, String what) {
    try {
      return Identifiers.require(t.value(), what);
    } catch (IllegalArgumentException e) {
      reading.problem(t.path(), hideReferenced(t, e.getMessage()));
      return null;
    }
  }

  /**
   * The message, or for a value from a reference one that does not repeat any part of it (the
   * message of {@link Identifiers} and {@link TableRef} quotes the offending part).
   */
  private static String hideReferenced(Section.Text t, String message) {
    return t.referenced()
        ? t.shown()
            + " is not valid: expected identifiers of 1-64 characters of A-Z, a-z, 0-9, _ or $"
            + " (not all digits)"
        : message;
  }

  /** {@code [schema.]table} with the default schema; null (and a problem) when invalid. */
  private TableRef tableRef(Section.Text t, String schema) {
    // With the schema unknown (database section invalid) still check the names, against a
    // stand-in schema, so an injection attempt is reported either way.
    String effectiveSchema = schema == null ? "unknown_schema" : schema;
    try {
      return TableRef.parse(t.value(), effectiveSchema);
    } catch (IllegalArgumentException e) {
      reading.problem(t.path(), hideReferenced(t, e.getMessage()));
      return null;
    }
  }

  private boolean check(boolean ok, Section.Text t, String message) {
    if (!ok) {
      reading.problem(t.path(), message + ", got " + t.shown());
    }
    return ok;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
