#!/usr/bin/env bash
# Drives the web UI of `apex serve` in headless Chromium: Debian's chromium and chromedriver,
# Selenium and pytest from PyPI in a virtual environment under .build. The tests start the
# server themselves (Tests/ui/test_web_ui.py) and stop it; screenshots go to
# .build/ui-artifacts (docs/ui.md shows copies of them).
#
#   scripts/ui-test.sh [path/to/apex]
set -euo pipefail
cd "$(dirname "$0")/.."
apex=${1:-.build/debug/apex}

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "==> installing Debian's chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
fi

venv=.build/ui-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import selenium, pytest' 2>/dev/null; then
    echo "==> installing selenium and pytest into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check selenium==4.38.0 pytest==8.4.2
fi

export APEX_BINARY=$apex APEX_UI_ARTIFACTS=${APEX_UI_ARTIFACTS:-.build/ui-artifacts}
# Selenium Manager would download a driver: the system's is named explicitly.
export SE_OFFLINE=true APEX_CHROMIUM=$(command -v chromium) APEX_CHROMEDRIVER=$(command -v chromedriver)
"$venv/bin/python" -m pytest Tests/ui -q -p no:cacheprovider
