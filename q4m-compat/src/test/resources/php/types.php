<?php
// Reads the same rows through PDO (text protocol) and mysqli prepared statements (binary
// protocol) and prints them as JSON, so a run against the endpoint can be compared with a run
// against the server itself. Also round-trips parameters of each mysqli type.
// Usage: php types.php HOST PORT DB USER PASSWORD TABLE
[, $host, $port, $db, $user, $password, $table] = $argv;
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$pdo = new PDO("mysql:host=$host;port=$port;dbname=$db;charset=utf8mb4", $user, $password,
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_STRINGIFY_FETCHES => false]);
$out = [];
$out['pdo'] = $pdo->query("SELECT * FROM $table ORDER BY id")->fetchAll(PDO::FETCH_ASSOC);
$meta = [];
$st = $pdo->query("SELECT * FROM $table LIMIT 1");
for ($i = 0; $i < $st->columnCount(); $i++) {
    $m = $st->getColumnMeta($i);
    $meta[] = [$m['name'], $m['native_type'] ?? null, $m['len'], $m['precision'], $m['flags']];
}
$out['pdo_meta'] = $meta;

$my = new mysqli($host, $user, $password, $db, (int) $port);
$my->set_charset('utf8mb4');
$s = $my->prepare("SELECT * FROM $table WHERE id >= ? ORDER BY id");
$from = 0;
$s->bind_param('i', $from);
$s->execute();
$res = $s->get_result();
$out['mysqli_ps'] = $res->fetch_all(MYSQLI_ASSOC);
$fields = [];
foreach ($res->fetch_fields() as $f) {
    $fields[] = [$f->name, $f->orgname, $f->table, $f->type, $f->length, $f->flags, $f->decimals, $f->charsetnr];
}
$out['mysqli_fields'] = $fields;
$s->close();

$p = $my->prepare("SELECT ? AS i, ? AS d, ? AS s, ? AS b, ? AS n");
$i = -42; $d = 2.5; $str = "quote ' and ünïcödé"; $blob = "\x00\xff\x01binary"; $null = null;
$p->bind_param('idsbs', $i, $d, $str, $blob, $null);
$p->send_long_data(3, $blob);
$p->execute();
$row = $p->get_result()->fetch_assoc();
$row['b'] = bin2hex($row['b']);
// Compared as text: the endpoint's backend driver inlines parameters as literals (as PDO's
// default emulated prepares do), so `SELECT ?` of a double comes back DECIMAL, not DOUBLE.
$out['params'] = array_map(fn($v) => $v === null ? null : (string) $v, $row);
foreach (['mysqli_ps', 'pdo'] as $k) {
    foreach ($out[$k] as &$r) {
        if (isset($r['bin'])) { $r['bin'] = bin2hex($r['bin']); }
    }
}
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), "\n";
