#!/usr/bin/perl
# A legacy Q4M producer in Perl DBI: prepared INSERTs with placeholders, then one STOP row per worker.
# Usage: perl producer.pl DRIVER HOST PORT DB USER PASSWORD SERVER_PREPARE FIRST_ID COUNT STOPS
#   DRIVER is mysql (DBD::mysql) or MariaDB (DBD::MariaDB); SERVER_PREPARE 1 uses the binary protocol.
use strict;
use warnings;
use DBI;

my ($driver, $host, $port, $db, $user, $password, $server_prepare, $first, $count, $stops) = @ARGV;
my $prefix = $driver eq 'MariaDB' ? 'mariadb' : 'mysql';
my $dsn = "DBI:$driver:database=$db;host=$host;port=$port";
$dsn .= ";${prefix}_server_prepare=1" if $server_prepare;
my $dbh = DBI->connect($dsn, $user, $password, { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
my $insert = $dbh->prepare("INSERT INTO job_queue (job_id, payload) VALUES (?, ?)");
for my $id ($first .. $first + $count - 1) {
    $insert->execute($id, "job $id");
}
$insert->execute(-$_, 'STOP') for 1 .. $stops;
$dbh->disconnect;
$| = 1;
print "PRODUCED $count\n";
