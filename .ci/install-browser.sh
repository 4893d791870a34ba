#!/usr/bin/env bash
# Install what the browser test (tests/test_review_web.py) needs: Debian's chromium and Playwright.
# Idempotent: does nothing that is already done. Playwright drives /usr/bin/chromium through
# executable_path, so no browser is downloaded by `playwright install`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "chromium: $(command -v chromium)"

# Playwright comes with the dev extra; install it here too when the venv lacks it.
if [ -x .venv/bin/python ] && ! .venv/bin/python -c "import playwright" >/dev/null 2>&1; then
    .venv/bin/pip install --quiet "playwright>=1.40"
fi
