#!/usr/bin/env bash
# LibreOffice (headless Writer) and a CJK font from Debian's packages: what the DOCX → PDF renderer
# (`nianbao render --layout pdf`, tests/fixtures/make_fixtures.py) needs. Idempotent and quiet; the
# tests do not need it (they read the committed fixtures) but check a fresh render when it is there.
set -euo pipefail

packages=(libreoffice-writer-nogui fonts-wqy-zenhei qpdf)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v soffice >/dev/null
