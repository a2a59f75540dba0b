-- Relay dedup watermarks for emulated queue_set_srcid (Q4M-SEMANTICS.md §3.4): one row per
-- destination table and slot. Lives in the destination table's database; q4m-compat creates it on
-- first use when the account may CREATE, otherwise a DBA applies this file.
CREATE TABLE IF NOT EXISTS q4m_relay_watermark (
  table_name VARCHAR(64)  NOT NULL,
  slot       TINYINT UNSIGNED NOT NULL,
  last_rowid BIGINT       NOT NULL,
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (table_name, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
