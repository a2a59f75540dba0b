<?php
// A legacy Q4M worker, as written for MySQL 5.1: the one-statement WHERE form of queue_wait,
// queue_end after the job is done, queue_abort when it fails (each "flaky" job fails once per
// worker). Prints DONE <id> once a job is ended, ABORTED <id>, and STOPPED when it takes a STOP row.
// Usage: php worker.php HOST PORT DB USER PASSWORD
[, $host, $port, $db, $user, $password] = $argv;
$pdo = new PDO(
    "mysql:host=$host;port=$port;dbname=$db;charset=utf8mb4",
    $user,
    $password,
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]
);
$failedOnce = [];
while (true) {
    $rows = $pdo->query("SELECT * FROM job_queue WHERE queue_wait('job_queue', 10)")
        ->fetchAll(PDO::FETCH_ASSOC);
    if (!$rows) {
        continue; // timed out: wait again
    }
    $job = $rows[0];
    if ($job['payload'] === 'STOP') {
        $pdo->query("SELECT queue_end()");
        echo "STOPPED\n";
        break;
    }
    if (str_starts_with($job['payload'], 'flaky') && !isset($failedOnce[$job['job_id']])) {
        $failedOnce[$job['job_id']] = true;
        $pdo->query("SELECT queue_abort()");
        echo "ABORTED {$job['job_id']}\n";
        continue;
    }
    if (!str_ends_with($job['payload'], " {$job['job_id']} ünïcödé")) {
        echo "CORRUPT {$job['job_id']} {$job['payload']}\n";
    }
    $ended = $pdo->query("SELECT queue_end()")->fetchColumn();
    echo ($ended == 1 ? "DONE" : "NOT-ENDED") . " {$job['job_id']}\n";
}
