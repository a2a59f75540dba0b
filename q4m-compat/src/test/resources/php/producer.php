<?php
// A legacy Q4M producer: plain PDO INSERTs into the queue table (PDO's default emulated prepares,
// so each is a COM_QUERY), then one STOP row per worker.
// Usage: php producer.php HOST PORT DB USER PASSWORD FIRST_ID COUNT STOPS
[, $host, $port, $db, $user, $password, $first, $count, $stops] = $argv;
$pdo = new PDO(
    "mysql:host=$host;port=$port;dbname=$db;charset=utf8mb4",
    $user,
    $password,
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]
);
$insert = $pdo->prepare("INSERT INTO job_queue (job_id, payload) VALUES (?, ?)");
for ($id = (int) $first; $id < $first + $count; $id++) {
    // every tenth job fails once in each worker that gets it (queue_abort)
    $insert->execute([$id, ($id % 10 === 0 ? "flaky " : "job ") . $id . " ünïcödé"]);
}
for ($i = 1; $i <= (int) $stops; $i++) {
    $insert->execute([-$i, "STOP"]);
}
echo "PRODUCED $count\n";
