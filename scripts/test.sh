#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need, builds,
# runs the Swift test suites, then checks the editor JSON Schema against the examples.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH: install Swift 6.x (see README.md)" >&2
    exit 2
fi
if [ ! -f /usr/include/sqlite3.h ]; then
    echo "==> installing SQLite's headers (libsqlite3-dev), which the store builds against"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libsqlite3-dev; else sudo apt-get install -y libsqlite3-dev; fi
fi
if ! python3 -c 'import jsonschema, ruamel.yaml' 2>/dev/null; then
    echo "==> installing the Python packages of the editor-schema check (jsonschema, ruamel.yaml)"
    python3 -m pip install --quiet --disable-pip-version-check jsonschema ruamel.yaml
fi

echo "==> swift build"
mkdir -p .build
swift build --build-tests 2>&1 | tee .build/build-log.txt
if grep -qE '\.swift:[0-9]+:[0-9]+: (warning|error):' .build/build-log.txt; then
    echo "the build has warnings (the project builds without any)" >&2
    exit 1
fi

# PostgreSQL 15 (installed from Debian's packages when missing), a throwaway cluster on
# 127.0.0.1 in a temporary folder, stopped and deleted on exit. A server given in
# APEX_TEST_POSTGRES_URL (and its folder in APEX_TEST_POSTGRES_CLUSTER_DIR) is used instead.
if [ -z "${APEX_TEST_POSTGRES_URL:-}" ]; then
    echo "==> a throwaway PostgreSQL 15 cluster (scripts/postgres-cluster.sh)"
    pg_dir=$(mktemp -d)
    APEX_TEST_POSTGRES_URL=$(scripts/postgres-cluster.sh start "$pg_dir")
    APEX_TEST_POSTGRES_CLUSTER_DIR=$pg_dir
    export APEX_TEST_POSTGRES_URL APEX_TEST_POSTGRES_CLUSTER_DIR
    trap 'scripts/postgres-cluster.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
fi

echo "==> swift test"
# The fault suites stop and restart the server under everyone's feet: they run alone, after.
swift test --skip-build --skip FaultTests

echo "==> fault tests: the store and the apex binary while workers and the server are killed (alone)"
swift test --skip-build --filter FaultTests

echo "==> schemathesis against a live apex serve (scripts/schemathesis.sh)"
scripts/schemathesis.sh .build/debug/apex

echo "==> the web UI in headless Chromium (scripts/ui-test.sh)"
scripts/ui-test.sh .build/debug/apex

echo "==> deterministic simulation (docs/simulation.md)"
.build/debug/apex-simulate --scenarios "${APEX_SIM_SCENARIOS:-5000}" --parallel 2

echo "==> editor schema"
python3 scripts/check-editor-schema.py schemas/apex-workflow-v1.schema.json \
    --valid workflows Tests/ApexDSLTests/Fixtures/valid schemas/fixtures/valid \
    --invalid Tests/ApexDSLTests/Fixtures/invalid schemas/fixtures/invalid
