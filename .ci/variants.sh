#!/usr/bin/env bash
# The suite at COLUMNS=40, under a 150-character --basetemp, in a fresh random order, and as a
# non-root user when this runs as root and one can be created (else as the current user).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
long="/tmp/nianbao-variants/$(printf 'a-rather-long-temporary-folder-name-%.0s' 1 2 3 4 5)"
long="${long:0:150}"   # exactly 150 characters
suite=(env COLUMNS=40 .venv/bin/python -m pytest -p randomly --basetemp="$long" -q)

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1; then
    rm -rf /tmp/nianbao-variants && mkdir -p "$(dirname "$long")" && cd "$repo" && exec "${suite[@]}"
fi
user=nianbao-ci
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home="$(getent passwd "$user" | cut -d: -f6)"
copy="$home/nianbao"
rm -rf "$copy" /tmp/nianbao-variants
mkdir -p "$copy" "$(dirname "$long")"
chown "$user:" "$(dirname "$long")"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$copy"
chown -R "$user:" "$copy"
echo "variants: the suite as $user in $copy, COLUMNS=40, --basetemp of ${#long} characters"
runuser -u "$user" -- env -C "$copy" HOME="$home" CI="${CI:-}" bash -c "
    set -euo pipefail
    python3 -m venv .venv   # the user's own python3 (root's may live where the user cannot go)
    .venv/bin/pip install --quiet --upgrade pip
    # the lock is made on CI's Python; a user's older 3.11.x may miss some pins' Requires-Python
    .venv/bin/pip install --quiet -c requirements.lock -e '.[all,dev]' 2>/dev/null \
      || { echo 'variants: requirements.lock does not fit this python, resolving afresh'; \
           .venv/bin/pip install --quiet -e '.[all,dev]'; }
    $(printf '%q ' "${suite[@]}")"
