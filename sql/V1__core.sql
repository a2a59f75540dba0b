-- q4m-bridge's own schema, part 1: dead letters, epochs.
-- Applied only by `q4m-bridge migrate` (Flyway); the daemon validates and never migrates silently.

-- Rows that could not be forwarded. Written in the same transaction that removes the row from an
-- emulated queue; on the native engine just before queue_end(), so a crash in between can leave a
-- second copy here (never a loss).
CREATE TABLE q4m_dead_letter (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  queue_name   VARCHAR(130)    NOT NULL COMMENT 'schema.table the row came from',
  epoch        BIGINT          NOT NULL,
  row_id       BIGINT          NOT NULL,
  message_key  VARCHAR(200)    NOT NULL COMMENT '<schema>.<table>:<epoch>:<rowid>',
  columns_json LONGTEXT        NOT NULL COMMENT 'the row, see RowCodec',
  reason       TEXT            NOT NULL,
  attempts     INT             NOT NULL,
  first_seen   TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_seen    TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  replayed_at  TIMESTAMP(3)    NULL,
  KEY q4m_dead_letter_queue (queue_name, replayed_at, id),
  KEY q4m_dead_letter_key (message_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Epoch per queue: bumped when row ids restart (TRUNCATE, re-created table), so message keys
-- <schema>.<table>:<epoch>:<rowid> never collide.
CREATE TABLE q4m_epoch (
  queue_name        VARCHAR(130) NOT NULL PRIMARY KEY,
  epoch             BIGINT       NOT NULL,
  max_removed_rowid BIGINT       NOT NULL,
  updated_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
