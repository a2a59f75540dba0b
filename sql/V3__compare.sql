-- q4m-bridge's own schema, part 3: shadow comparison (DESIGN.md §6.2-§6.3).
-- Applied only by `q4m-bridge migrate` (Flyway); the daemon validates and never migrates silently.
-- Written and read by shadow-compare (org.q4mbridge.compare); its README documents the SQL contract
-- legacy workers use to record outcomes.
--
-- Conventions shared by the three tables:
--  * message_key and correlation_key are VARBINARY: compared and sorted byte by byte, so the report's
--    merge by key sees exactly the groups Java sees (a _ci or PAD SPACE collation would fold 'A'/'a'
--    or 'k'/'k ' together). Keys are UTF-8 text in practice (a SHA-256 hex digest by default).
--  * Times are TIMESTAMP(3) (UTC inside the server): writers use FROM_UNIXTIME(epoch seconds) and
--    readers UNIX_TIMESTAMP(col) on a session with time_zone '+00:00', so no client or server zone
--    setting can shift them.
--  * Every table has a (queue_name, <time>) index: the report reads one queue's window through it and
--    retention deletes through it.
--
-- Retention: nothing here expires by itself. The bridge purges rows older than compare.retention
-- (default 30 days) with org.q4mbridge.compare.jdbc.Retention, which deletes per queue in batches of
-- 10,000 rows through the time index so a purge never holds long locks. Outcome rows of jobs that
-- are still being compared must outlive the report window plus its slack (see ReportQuery).

-- What the bridge forwarded: one row per message and sink, written when the sink's verdict is known
-- (confirmed_at NULL = published but not confirmed: rejected or timed out, so it will be resent with
-- the same message key and a new row).
CREATE TABLE q4m_ledger (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  queue_name      VARCHAR(130)    NOT NULL COMMENT 'schema.table the row came from',
  message_key     VARBINARY(200)  NOT NULL COMMENT '<schema>.<table>:<epoch>:<rowid>',
  correlation_key VARBINARY(200)  NOT NULL COMMENT 'CorrelationKeys: content digest or business key',
  content_digest  CHAR(64)        NOT NULL COMMENT 'SHA-256 hex of the published body',
  phase           VARCHAR(16)     NOT NULL COMMENT 'mirror | shadow | cutover',
  sink            VARCHAR(64)     NOT NULL COMMENT 'sink name from bridge.yml',
  forwarded_at    TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'published',
  confirmed_at    TIMESTAMP(3)    NULL COMMENT 'the sink confirmed; NULL = not confirmed',
  KEY q4m_ledger_window (queue_name, forwarded_at),
  KEY q4m_ledger_key (queue_name, sink, message_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What the bridge's own shadow consumer saw arrive (a separate Redis consumer group, a verify queue
-- in RabbitMQ or SQS): one row per delivery, so a message delivered twice has two rows.
CREATE TABLE q4m_transport_observation (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  queue_name      VARCHAR(130)    NOT NULL,
  sink            VARCHAR(64)     NOT NULL COMMENT 'the sink whose destination was read',
  destination     VARCHAR(255)    NOT NULL COMMENT 'stream, queue or routing key read from',
  message_key     VARBINARY(200)  NOT NULL,
  correlation_key VARBINARY(200)  NOT NULL,
  content_digest  CHAR(64)        NOT NULL COMMENT 'SHA-256 hex of the body as received',
  observed_at     TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY q4m_transport_observation_window (queue_name, observed_at),
  KEY q4m_transport_observation_key (queue_name, sink, message_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What a worker did with a job: legacy workers (PHP, through the INSERT in shadow-compare/README.md)
-- and candidate workers (Java, through OutcomeRecorder) write one row per execution, so a job run
-- twice has two rows on its side.
CREATE TABLE q4m_outcome (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  queue_name      VARCHAR(130)    NOT NULL,
  correlation_key VARBINARY(200)  NOT NULL,
  side            ENUM('legacy','candidate') NOT NULL,
  outcome         VARCHAR(64)     NOT NULL COMMENT 'worker-defined: ok, failed, skipped, ...',
  result_digest   CHAR(64)        NULL COMMENT 'SHA-256 hex of the result; compared when a side has no JSON',
  result_json     MEDIUMTEXT      NULL COMMENT 'the result as JSON, for field-level diffs',
  started_at      TIMESTAMP(3)    NOT NULL,
  finished_at     TIMESTAMP(3)    NOT NULL,
  worker          VARCHAR(100)    NULL COMMENT 'host:pid or pool name, for a person chasing a diff',
  recorded_at     TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY q4m_outcome_window (queue_name, started_at),
  KEY q4m_outcome_key (queue_name, correlation_key, side)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
