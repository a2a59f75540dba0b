#!/usr/bin/env bash
# Makes sure MariaDB, Redis and RabbitMQ answer on loopback: starts them when they are down and, as
# root on Debian, apt-installs them first when they are missing. Idempotent; prints one line per service.
set -euo pipefail

MYSQL_HOST=${Q4M_TEST_MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${Q4M_TEST_MYSQL_PORT:-3306}
REDIS_PORT=${Q4M_TEST_REDIS_PORT:-6379}
RABBIT_PORT=${Q4M_TEST_RABBIT_PORT:-5672}

log() { printf 'services: %s\n' "$*"; }
die() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # host port seconds what
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    port_open "$1" "$2" && return 0
    sleep 0.2
  done
  die "$4 did not open $1:$2 within $3 s"
}

apt_updated=0
apt_install() {
  [ "$(id -u)" = 0 ] || die "$* missing and not root: install it (apt-get install $*) or point Q4M_TEST_* at a running server"
  command -v apt-get >/dev/null || die "$* missing and no apt-get on this machine: install it by hand"
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_mariadb() {
  if ! port_open "$MYSQL_HOST" "$MYSQL_PORT"; then
    [ "$MYSQL_HOST" = 127.0.0.1 ] || die "MariaDB not reachable at $MYSQL_HOST:$MYSQL_PORT"
    [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    log "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_port "$MYSQL_HOST" "$MYSQL_PORT" 60 MariaDB
  fi
  # Debian's root authenticates by unix socket only; the tests log in over TCP with an empty password.
  if command -v mariadb >/dev/null && ! mariadb -h"$MYSQL_HOST" -P"$MYSQL_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" \
      || die "cannot enable TCP login for root@localhost"
  fi
  mariadb -h"$MYSQL_HOST" -P"$MYSQL_PORT" -uroot -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null 2>&1 || true
  log "MariaDB up on $MYSQL_HOST:$MYSQL_PORT"
}

ensure_redis() {
  if ! port_open 127.0.0.1 "$REDIS_PORT"; then
    command -v redis-server >/dev/null || apt_install redis-server
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port 127.0.0.1 "$REDIS_PORT" 30 Redis
  fi
  log "Redis up on 127.0.0.1:$REDIS_PORT"
}

ensure_rabbitmq() {
  if ! port_open 127.0.0.1 "$RABBIT_PORT"; then
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
    log "starting RabbitMQ (takes ~10 s)"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    wait_port 127.0.0.1 "$RABBIT_PORT" 120 RabbitMQ
  fi
  log "RabbitMQ up on 127.0.0.1:$RABBIT_PORT"
}

# Tools some tests drive for real: headless Chromium (report and status-page screenshots),
# promtool (alert rules), systemd-analyze (the unit file), PHP and Perl clients (the q4m-compat
# endpoint). Missing ones are apt-installed once; a test that needs one fails naming the package.
ensure_tools() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v php >/dev/null || missing+=(php-cli)
  php -m 2>/dev/null | grep -qi pdo_mysql || missing+=(php-mysql)
  perl -MDBD::MariaDB -e1 2>/dev/null || missing+=(libdbd-mariadb-perl)
  perl -MDBD::mysql -e1 2>/dev/null || missing+=(libdbd-mysql-perl)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
  log "tools present: chromium, promtool, systemd-analyze, php (pdo_mysql), perl DBI"
}

ensure_mariadb
ensure_redis
ensure_rabbitmq
ensure_tools
