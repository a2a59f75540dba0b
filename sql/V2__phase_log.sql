-- q4m-bridge's own schema, part 2: the phase log.
-- Every applied phase transition and every drain-back run, per queue: who, when, from, to, which
-- configuration (digest), forced or not. The daemon reads the last phase of each queue at start-up,
-- so a restart with a changed phase is checked like a reload.
CREATE TABLE q4m_phase_log (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  queue_name    VARCHAR(130) NOT NULL,
  event         VARCHAR(16)  NOT NULL COMMENT 'transition | drain-back',
  from_phase    VARCHAR(16)  NOT NULL,
  to_phase      VARCHAR(16)  NOT NULL,
  applied_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  config_digest CHAR(64)     NOT NULL COMMENT 'SHA-256 of the configuration file',
  forced        BOOLEAN      NOT NULL DEFAULT FALSE,
  actor         VARCHAR(255) NOT NULL COMMENT 'user@host of the bridge process',
  note          TEXT         NULL,
  KEY q4m_phase_log_queue (queue_name, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Drain-back ledger: every message moved from a broker back into its legacy table, by message key.
-- On InnoDB queues the ledger row and the re-inserted row are one transaction, so a repeated or
-- interrupted drain-back never inserts a job twice.
CREATE TABLE q4m_drained (
  message_key VARCHAR(200) NOT NULL PRIMARY KEY,
  queue_name  VARCHAR(130) NOT NULL,
  drained_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY q4m_drained_queue (queue_name, drained_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
