#!/usr/bin/env bash
# Runs schemathesis (from PyPI, in a virtual environment under .build/) against a live
# `apex serve` on 127.0.0.1: every operation of /openapi.json with generated requests, checked
# for server errors and for answers that the document does not describe. Auth is on (an HS256
# secret) and schemathesis sends a token minted here with every scope; its own checks send
# none or a bad one and must get 401. The streaming operations (SSE) are left out: they
# answer forever by design.
#
#   scripts/schemathesis.sh [path/to/apex]     (default: .build/debug/apex)
set -euo pipefail
cd "$(dirname "$0")/.."
apex=${1:-.build/debug/apex}
venv=.build/schemathesis-venv
version=4.32.5

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
    echo "==> installing schemathesis $version into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
log="$work/serve.log"
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
# An HS256 JWT for namespace default with every scope, valid for an hour (stdlib only).
token=$(SECRET=$secret python3 - <<'PY'
import base64, hashlib, hmac, json, os, time
def part(value):
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()
signed = part({"alg": "HS256", "typ": "JWT"}) + "." + part({"sub": "schemathesis", "exp": int(time.time()) + 3600,
    "scope": "runs:read runs:write signals:write workflows:write"})
signature = hmac.new(os.environ["SECRET"].encode(), signed.encode(), hashlib.sha256).digest()
print(signed + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode())
PY
)
APEX_JWT_SECRET=$secret "$apex" serve --addr 127.0.0.1:0 --metrics-addr off --db "sqlite:$work/apex.db" --mock-llm 2>"$log" &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 200); do
    url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //') || true
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "apex serve exited" >&2; exit 1; }
    sleep 0.05
done
[ -n "$url" ] || { cat "$log" >&2; echo "apex serve did not start" >&2; exit 1; }
echo "==> schemathesis against $url"

"$venv/bin/schemathesis" --no-color --config-file scripts/schemathesis.toml run "$url/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --exclude-path-regex '/events$' \
    --max-examples "${APEX_SCHEMATHESIS_EXAMPLES:-30}" \
    --request-timeout 10 \
    --workers 1 \
    --seed "${APEX_SCHEMATHESIS_SEED:-1}" \
    --suppress-health-check all
