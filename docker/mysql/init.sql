-- The application database with a Q4M job table shaped like most shops' (docker/compose.yml).
CREATE DATABASE IF NOT EXISTS app CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS app.job_queue (
  job_type VARCHAR(64) NOT NULL,
  payload MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=QUEUE;
