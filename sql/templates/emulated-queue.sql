-- An emulated Q4M queue on InnoDB (DESIGN.md §3.1). Same columns as the QUEUE table plus an
-- INVISIBLE row id, so legacy `INSERT INTO t VALUES (...)` and `SELECT *` keep working.
-- `q4m-bridge convert --dry-run` prints the exact statements for a live table.
CREATE TABLE job_queue (
  job_type   VARCHAR(64) NOT NULL,
  payload    MEDIUMTEXT  NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  q4m_rowid  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,
  PRIMARY KEY (q4m_rowid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
