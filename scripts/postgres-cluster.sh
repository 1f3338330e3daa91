#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the Postgres store's tests, on 127.0.0.1 only.
#
#   scripts/postgres-cluster.sh start DIR                      create and start a cluster in DIR, print its URL
#   scripts/postgres-cluster.sh stop DIR                       stop the cluster in DIR (pg_ctl stop -m fast)
#   scripts/postgres-cluster.sh restart-immediate DIR SECONDS  kill it without a checkpoint, wait, start it again
#
# The cluster has one user, `apex` (password `apex-test-pw`, scram-sha-256, a superuser so that
# tests can create a database each), a database `apex_test`, TLS on with a self-signed
# certificate (sslmode=require works, verify-full does not), and its unix socket in DIR. Only
# the URL goes to stdout; everything else goes to stderr.
#
# POSTGRES_CLUSTER_EXTRA_CONF, if set, is appended to postgresql.conf after the settings below
# (a later line wins): e.g. "fsync = on" for a benchmark that must pay for durable commits.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PASSWORD=apex-test-pw

say() { echo "postgres-cluster: $*" >&2; }

# postgres refuses to run as root: as root, run it as the `postgres` user (made by the package).
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgres() {
    [ -x "$PG_BIN/postgres" ] && return
    say "installing PostgreSQL 15 (Debian's postgresql-15)"
    [ "$(id -u)" = 0 ] || { say "run as root to install postgresql-15"; exit 2; }
    # Debian would create and start a cluster of its own on port 5432: we want only ours.
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >>/etc/postgresql-common/createcluster.conf
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql-15 >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The server outlives this script, so it must not keep the descriptors this script inherited:
# a build lock held by `flock … swift test` (whose tests restart the server) would stay held
# for as long as the server runs.
close_inherited_descriptors() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

start_cluster() {
    local dir=$1
    ( close_inherited_descriptors; as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >&2 ) || {
        say "the server did not start; its log:"; tail -n 20 "$dir/postgres.log" >&2; exit 1
    }
}

start() {
    local dir=${1:?usage: start DIR}
    install_postgres
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local data=$dir/data
    [ ! -e "$data" ] || { say "$data exists: use an empty folder"; exit 2; }
    [ "$(id -u)" != 0 ] || chown postgres: "$dir"

    local pwfile=$dir/password
    echo "$PASSWORD" >"$pwfile"
    [ "$(id -u)" != 0 ] || chown postgres: "$pwfile"
    as_owner "$PG_BIN/initdb" -D "$data" -U apex --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C >/dev/null
    rm -f "$pwfile"

    as_owner openssl req -new -x509 -days 30 -nodes -subj "/CN=apex-test-cluster" \
        -keyout "$data/server.key" -out "$data/server.crt" 2>/dev/null
    chmod 600 "$data/server.key"

    local port
    port=$(free_port)
    # A test cluster: fast, and room for every test's connection pool at once. Without fsync a
    # crash of the server alone (restart-immediate) still loses no commit, since each commit's
    # WAL is written to the OS first; synchronous_commit stays on, or it would.
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
max_connections = 400
fsync = off
full_page_writes = off
EOF
    if [ -n "${POSTGRES_CLUSTER_EXTRA_CONF:-}" ]; then
        printf '%s\n' "$POSTGRES_CLUSTER_EXTRA_CONF" >>"$data/postgresql.conf"
    fi
    echo "$port" >"$dir/port"
    start_cluster "$dir"

    PGPASSWORD=$PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U apex apex_test >&2
    say "started in $dir on 127.0.0.1:$port"
    echo "postgres://apex:$PASSWORD@127.0.0.1:$port/apex_test"
}

stop() {
    local dir=${1:?usage: stop DIR}
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m fast >&2
}

restart_immediate() {
    local dir=${1:?usage: restart-immediate DIR SECONDS} seconds=${2:?usage: restart-immediate DIR SECONDS}
    dir=$(cd "$dir" && pwd)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m immediate >&2
    sleep "$seconds"
    start_cluster "$dir"
}

case "${1:-}" in
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    restart-immediate) restart_immediate "${2:-}" "${3:-}" ;;
    *) say "usage: $0 start DIR | stop DIR | restart-immediate DIR SECONDS"; exit 2 ;;
esac
