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

if [ -z "${APEX_TEST_POSTGRES_URL:-}" ]; then
    echo "==> a throwaway PostgreSQL cluster for the Postgres store's tests (scripts/postgres-cluster.sh)"
    pg_dir=$(mktemp -d)
    APEX_TEST_POSTGRES_URL=$(scripts/postgres-cluster.sh start "$pg_dir")
    export APEX_TEST_POSTGRES_URL
    trap 'scripts/postgres-cluster.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
fi

echo "==> swift test"
swift test --skip-build

if [ -n "${pg_dir:-}" ]; then
    echo "==> the Postgres store while its server is killed and restarted (FaultTests, alone)"
    APEX_TEST_POSTGRES_CLUSTER_DIR=$pg_dir swift test --skip-build --filter ApexStorePostgresTests.FaultTests
fi

echo "==> deterministic simulation (docs/simulation.md)"
.build/debug/apex-simulate --scenarios "${APEX_SIM_SCENARIOS:-5000}" --parallel 2

echo "==> editor schema"
python3 scripts/check-editor-schema.py schemas/apex-workflow-v1.schema.json \
    --valid workflows Tests/ApexDSLTests/Fixtures/valid schemas/fixtures/valid \
    --invalid Tests/ApexDSLTests/Fixtures/invalid schemas/fixtures/invalid
