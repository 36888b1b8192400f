#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS cluster for the tests: made in a new temporary directory,
# listening on a free loopback port and a private socket, removed when the command it runs ends.
# Nothing else on the machine is touched: no system cluster is started, no configuration of the
# machine's is read or changed.
#
#   Tools/postgres/throwaway-cluster.sh run -- COMMAND...
#       starts a primary, runs COMMAND with SUGINAMI_TEST_POSTGRES set to its URL
#       (postgres://suginami:…@127.0.0.1:PORT/postgres), stops and removes it, and exits with
#       COMMAND's status.
#   Tools/postgres/throwaway-cluster.sh start
#       starts a primary of its own and prints its directory and URL, a line each (the fault
#       tests restart and fill theirs without disturbing the suite's).
#   Tools/postgres/throwaway-cluster.sh standby ROOT
#       adds a streaming replica of ROOT's primary (pg_basebackup) and prints its URL.
#   Tools/postgres/throwaway-cluster.sh restart ROOT [SECONDS] | stop ROOT
#       restarts ROOT's primary (fast shutdown, down for SECONDS, 0 by default) / stops
#       everything under ROOT and removes it.
#
# PostgreSQL refuses to run as root; as root the server runs as Debian's `postgres` user (made
# by the postgresql package), in a directory that user owns.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# The servers outlive this script and would keep every descriptor its caller left open (a test
# process's connections): close them all but the standard three (255 is bash's own copy of this
# script, closed on exec). A server that inherited thousands refused to start ("insufficient file
# descriptors"), and would hold the caller's connections open as long as it ran.
for fd in $(ls /proc/$$/fd); do
    case $fd in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
done

die() { echo "throwaway-cluster: $*" >&2; exit 1; }

[ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb is missing: install postgresql-15 (make deps does)"
[ -f /usr/share/postgresql/15/extension/postgis.control ] \
    || die "PostGIS is missing: install postgresql-15-postgis-3 (make deps does)"

as_server() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    root=$(mktemp -d /tmp/suginami-pg.XXXXXX)
    chmod 700 "$root"
    [ "$(id -u)" = 0 ] && chown postgres: "$root"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$root/password"
    [ "$(id -u)" = 0 ] && chown postgres: "$root/password"
    as_server "$PG_BIN/initdb" -D "$root/data" -U suginami --pwfile="$root/password" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" \
        || { cat "$root/initdb.log" >&2; die "initdb failed"; }
    port=$(free_port)
    mkdir -p "$root/socket"
    [ "$(id -u)" = 0 ] && chown postgres: "$root/socket"
    # Loopback only; a replica may connect for streaming (the replica tests make one).
    cat >>"$root/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root/socket'
max_connections = 300
wal_level = replica
max_wal_senders = 5
fsync = on
CONF
    echo "host replication suginami 127.0.0.1/32 scram-sha-256" >>"$root/data/pg_hba.conf"
    as_server "$PG_BIN/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start >/dev/null \
        || { cat "$root/server.log" >&2; die "the server did not start"; }
    echo "$root"
}

stop() {
    local root=$1
    as_server "$PG_BIN/pg_ctl" -D "$root/data" -m immediate -w stop >/dev/null 2>&1 || true
    # The replica tests' standbys live under the same directory.
    for standby in "$root"/standby-*; do
        [ -d "$standby" ] && { as_server "$PG_BIN/pg_ctl" -D "$standby" -m immediate -w stop >/dev/null 2>&1 || true; }
    done
    # A file system a test mounted inside (a small tablespace) goes before the directory does.
    awk -v root="$root/" 'index($2, root) == 1 { print $2 }' /proc/mounts | while read -r point; do
        umount "$point" || true
    done
    rm -rf "$root"
}

url_of() {
    local root=$1 conf=$2
    local port
    port=$(sed -n 's/^port = //p' "$conf" | tail -1)
    echo "postgres://suginami:$(cat "$root/password")@127.0.0.1:$port/postgres?sslmode=disable"
}

standby() {
    local root=$1
    local primary_port standby_port dir
    primary_port=$(sed -n 's/^port = //p' "$root/data/postgresql.conf" | tail -1)
    standby_port=$(free_port)
    dir="$root/standby-$standby_port"
    PGPASSWORD=$(cat "$root/password") as_server env PGPASSWORD="$(cat "$root/password")" \
        "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U suginami -D "$dir" -R -X stream --checkpoint=fast >/dev/null \
        || die "pg_basebackup failed"
    cat >>"$dir/postgresql.conf" <<CONF
port = $standby_port
hot_standby = on
CONF
    as_server "$PG_BIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 60 start >/dev/null \
        || { cat "$dir.log" >&2; die "the standby did not start"; }
    url_of "$root" "$dir/postgresql.conf"
}

case "${1:-}" in
start)
    root=$(start)
    echo "$root"
    url_of "$root" "$root/data/postgresql.conf"
    ;;
standby)
    [ -d "${2:-}/data" ] || die "standby needs the directory start printed"
    standby "$2"
    ;;
restart)
    [ -d "${2:-}/data" ] || die "restart needs the directory start printed"
    as_server "$PG_BIN/pg_ctl" -D "$2/data" -m fast -w -t 60 stop >/dev/null || die "the server did not stop"
    sleep "${3:-0}"
    as_server "$PG_BIN/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 start >/dev/null \
        || die "the server did not start again"
    ;;
stop)
    [ -d "${2:-}/data" ] || die "stop needs the directory start printed"
    stop "$2"
    ;;
run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || die "run needs a command after --"
    root=$(start)
    trap 'stop "$root"' EXIT INT TERM
    port=$(sed -n 's/^port = //p' "$root/data/postgresql.conf" | tail -1)
    password=$(cat "$root/password")
    echo "throwaway-cluster: PostgreSQL 15 + PostGIS on 127.0.0.1:$port ($root)"
    status=0
    SUGINAMI_TEST_POSTGRES="postgres://suginami:$password@127.0.0.1:$port/postgres" \
        SUGINAMI_TEST_POSTGRES_ROOT="$root" "$@" || status=$?
    exit $status
    ;;
*)
    die "usage: $0 run -- COMMAND... | start | standby ROOT | restart ROOT | stop ROOT"
    ;;
esac
