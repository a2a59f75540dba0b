#!/usr/bin/perl
# A legacy Q4M worker in Perl DBI, the two-statement form that MySQL 5.6+ requires:
#   SELECT queue_wait('job_queue', 10); SELECT * FROM job_queue; ... SELECT queue_end();
# Prints DONE <id> after queue_end, STOPPED when it takes a STOP row.
# Usage: perl worker.pl DRIVER HOST PORT DB USER PASSWORD SERVER_PREPARE
use strict;
use warnings;
use DBI;

my ($driver, $host, $port, $db, $user, $password, $server_prepare) = @ARGV;
my $prefix = $driver eq 'MariaDB' ? 'mariadb' : 'mysql';
my $dsn = "DBI:$driver:database=$db;host=$host;port=$port";
$dsn .= ";${prefix}_server_prepare=1" if $server_prepare;
my $dbh = DBI->connect($dsn, $user, $password, { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
$| = 1;
while (1) {
    my ($index) = $dbh->selectrow_array("SELECT queue_wait('job_queue', 10)");
    die "queue_wait returned NULL\n" unless defined $index;
    next if $index == 0;
    my $job = $dbh->selectrow_hashref("SELECT * FROM job_queue");
    die "owner mode shows no row\n" unless $job;
    if ($job->{payload} eq 'STOP') {
        $dbh->do("SELECT queue_end()");
        print "STOPPED\n";
        last;
    }
    my ($ended) = $dbh->selectrow_array("SELECT queue_end()");
    print(($ended == 1 ? "DONE" : "NOT-ENDED") . " $job->{job_id}\n");
}
$dbh->disconnect;
