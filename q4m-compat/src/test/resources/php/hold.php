<?php
// Takes one job and holds it without ending it: prints OWNED <id> and sleeps until killed.
// Usage: php hold.php HOST PORT DB USER PASSWORD
[, $host, $port, $db, $user, $password] = $argv;
$pdo = new PDO("mysql:host=$host;port=$port;dbname=$db", $user, $password,
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$rows = $pdo->query("SELECT * FROM job_queue WHERE queue_wait('job_queue', 10)")
    ->fetchAll(PDO::FETCH_ASSOC);
if (!$rows) {
    echo "NOTHING\n";
    exit(1);
}
echo "OWNED {$rows[0]['job_id']}\n";
sleep(300);
